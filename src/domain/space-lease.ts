import type { UseCaseContext } from './use-case-context.js'

/**
 * One change at a time per space: the creates, updates and deletes of one cluster's shared resources
 * (the cluster, its task execution role and policy, its log group) take turns, in this process and
 * across replicas. Without it, a create that fails could undo a role or log group that a concurrent
 * request found and reused, or a space clean-up could delete a cluster a create is filling.
 */
export function spaceLeaseKey(account: string, cluster: string): string {
  return `space:${account}:${cluster}`
}

/** Runs `work` holding the space's lease (as is, where no operation store exists to hold it in). */
export async function exclusivelyInSpace<T>(ctx: UseCaseContext, cluster: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.operations) return work()
  return ctx.operations.leases.hold(spaceLeaseKey(ctx.account.name, cluster), `another change of space ${cluster}`, work)
}

import type { HoldOptions, Leases } from '../operations/leases.js'
import type { UseCaseContext } from './use-case-context.js'

/**
 * One change at a time per space: the creates, updates and deletes of one cluster's shared resources
 * (the cluster, its task execution role and policy, its log group) take turns, in this process and
 * across replicas. Without it, a create that fails could undo a role or log group that a concurrent
 * request found and reused, or a space clean-up could delete a cluster a create is filling.
 */
export async function holdSpaceLease<T>(
  leases: Leases,
  space: { account: string; cluster: string },
  work: () => Promise<T>,
  options?: HoldOptions,
): Promise<T> {
  return leases.hold(`space:${space.account}:${space.cluster}`, `another change of space ${space.cluster}`, work, options)
}

/** Runs `work` holding the space's lease (as is, where no operation store exists to hold it in). */
export async function exclusivelyInSpace<T>(ctx: UseCaseContext, cluster: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.operations) return work()
  return holdSpaceLease(ctx.operations.leases, { account: ctx.account.name, cluster }, work)
}

import type { OperationStep } from '../../operations/index.js'
import { cleanUpSpace, type SpaceCleanup } from '../../workflows/cleanup/clean-up-space.js'
import { spaceLeaseKey } from '../space-lease.js'

/**
 * The last step of a recursive delete (a task definition's or a service's): delete the space's
 * cluster and then its role when nothing else uses them, and say which happened.
 */
export function cleanUpSpaceStep<Input extends { org: string; cluster: string }>(dependsOn?: readonly string[]): OperationStep<Input> {
  return {
    id: 'clean-up-cluster',
    ...(dependsOn ? { dependsOn } : {}),
    run: async (ctx): Promise<SpaceCleanup> => {
      // Takes turns with the space's creates and updates, which may be filling the cluster now.
      const done = await ctx.leases.hold(
        spaceLeaseKey(ctx.account.name, ctx.input.cluster),
        `another change of space ${ctx.input.cluster}`,
        () => cleanUpSpace(ctx.account, ctx.input, { signal: ctx.signal }),
        { signal: ctx.signal },
      )
      await ctx.event(
        done.clusterDeleted
          ? `deleted cluster ${ctx.input.cluster} and its task execution role`
          : `kept cluster ${ctx.input.cluster}: ${done.keptBecause ?? 'in use'}`,
      )
      return done
    },
  }
}

import { clusterOrgMemoryOf } from '../../core/clusters.js'
import { existingResourcesOf } from '../../core/existing-resources.js'
import { taskExecutionRoleName } from '../../workflows/resources/execution-role-policy.js'
import type { OperationStep } from '../../operations/index.js'
import { cleanUpSpace, type SpaceCleanup } from '../../workflows/cleanup/clean-up-space.js'
import { holdSpaceLease } from '../space-lease.js'
import { reportCleanup } from './report-cleanup.js'

/** What a space cleanup did, as the operation's events say it. */
function said(cluster: string, done: SpaceCleanup): string[] {
  if (!done.clusterDeleted) return [`kept cluster ${cluster}: ${done.keptBecause ?? 'in use'}`]
  if (done.clusterAlreadyGone) {
    return [done.roleDeleted ? `cluster ${cluster} was already deleted; deleted its task execution role` : `cluster ${cluster} was already deleted`]
  }
  return [done.roleDeleted ? `deleted cluster ${cluster} and its task execution role` : `deleted cluster ${cluster}; its task execution role remains`]
}

/**
 * The last step of a recursive delete (a task definition's or a service's): delete the space's
 * cluster and then its role when nothing else uses them, and say which happened.
 */
export function cleanUpSpaceStep<Input extends { org: string; cluster: string }>(dependsOn?: readonly string[]): OperationStep<Input> {
  return {
    id: 'clean-up-cluster',
    ...(dependsOn ? { dependsOn } : {}),
    run: async (ctx): Promise<SpaceCleanup> =>
      // Takes turns with the space's creates and updates, which may be filling the cluster now.
      holdSpaceLease(
        ctx.leases,
        { account: ctx.account.name, cluster: ctx.input.cluster },
        () =>
          reportCleanup(
            (m) => ctx.event(m),
            async () => {
              try {
                return await cleanUpSpace(ctx.account, ctx.input, { signal: ctx.signal })
              } finally {
                // Deleted or not, this process no longer vouches for the cluster (a request that
                // checked it during the cleanup remembered it before the delete).
                clusterOrgMemoryOf(ctx.account)?.forget(ctx.input.cluster)
                // Nor for the space's role (which the cleanup may have deleted) or its log group.
                existingResourcesOf(ctx.account)?.forgetRole(taskExecutionRoleName(ctx.input.cluster))
                existingResourcesOf(ctx.account)?.forgetLogGroup(ctx.input.cluster)
              }
            },
            (done) => said(ctx.input.cluster, done),
          ),
        { signal: ctx.signal },
      ),
  }
}

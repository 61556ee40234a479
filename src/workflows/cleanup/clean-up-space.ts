import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { ecsServices } from '../../aws/ecs-services.js'
import { iamApi } from '../../aws/iam.js'
import { belongsToOrg } from '../../core/tags.js'
import { taskExecutionRoleName } from '../resources/execution-role-policy.js'
import { deleteSpaceSchedules } from './delete-space-schedules.js'
import { managedFamilies } from './managed-families.js'
import { deleteClusterWithRetry, type RetryOptions } from './delete-cluster.js'
import { IncompleteCleanupError } from './incomplete.js'

export interface SpaceCleanup {
  clusterDeleted: boolean
  /** The cluster was already deleted (by an earlier run) when this one looked. */
  clusterAlreadyGone?: boolean
  roleDeleted: boolean
  /** Why the cluster was kept, when it was. */
  keptBecause?: string
}

/** Resources of a rolling-back request itself, which do not keep its cluster. */
export interface OwnUse {
  /** The activeServicesCount ECS reported with the cluster, when known (a shortcut). */
  activeServices?: number | undefined
  exceptFamily?: string | undefined
  exceptService?: string | undefined
}

/**
 * Why the org's cluster must stay: ACTIVE services or managed task definitions still in it (apart
 * from a rolling-back request's own family and service). A service being deleted (DRAINING) and tasks
 * still stopping do not count: ECS refuses the delete while they last, and the delete is retried until
 * they are gone.
 */
export async function clusterInUse(account: Account, org: string, cluster: string, options: OwnUse = {}): Promise<string | undefined> {
  const activeServices = options.activeServices ?? 0
  if (activeServices > 0 && options.exceptService === undefined) return `${activeServices} service(s) still run in it`
  const ecs = ecsApi(account.clients.ecs)
  const services = ecsServices(account.clients.ecs)
  const [serviceArns, all] = await Promise.all([services.listArns(cluster), managedFamilies(account, ecs, org, cluster)])
  const active = (await services.describe(cluster, serviceArns)).filter(
    (s) => s.status === 'ACTIVE' && s.serviceName !== options.exceptService,
  )
  if (active.length > 0) return `${active.length} service(s) still in it`
  const families = all.filter((f) => f !== options.exceptFamily)
  if (families.length > 0) return `task definitions ${families.join(', ')} still use it`
  return undefined
}

/**
 * Deletes the org's cluster of a space, and then its task execution role, when nothing else is left
 * in it (no ACTIVE service, no managed task definition with an ACTIVE revision). A cluster
 * already deleted counts as deleted, so the role is still removed when this runs again after a
 * crash; a cluster of another org is never touched. Log groups are kept (they hold the history).
 * The space's schedules, schedule group and scheduler role go with the cluster.
 * A role that could not be deleted after the cluster was is an `IncompleteCleanupError`.
 */
export async function cleanUpSpace(account: Account, target: { org: string; cluster: string }, options: RetryOptions = {}): Promise<SpaceCleanup> {
  const ecs = ecsApi(account.clients.ecs)
  const cluster = await ecs.describeCluster(target.cluster)
  const live = cluster !== undefined && cluster.status !== 'INACTIVE'
  if (live) {
    if (!belongsToOrg(cluster.tags, target.org)) return { clusterDeleted: false, roleDeleted: false, keptBecause: 'not a cluster of the org' }
    const reason = await clusterInUse(account, target.org, target.cluster, { activeServices: cluster.activeServicesCount ?? 0 })
    if (reason) return { clusterDeleted: false, roleDeleted: false, keptBecause: reason }
    await deleteClusterWithRetry(ecs, target.cluster, options)
  }
  const clusterDone = { clusterDeleted: true, ...(live ? {} : { clusterAlreadyGone: true }) }
  try {
    // Schedules of the space can only target its cluster: with it, they, the group and the
    // scheduler role go too. Every family's: a recursive delete's own input names its family, which
    // would narrow the cleanup to that family's schedules.
    await deleteSpaceSchedules(account, { org: target.org, cluster: target.cluster })
  } catch (err) {
    throw new IncompleteCleanupError<SpaceCleanup>({ ...clusterDone, roleDeleted: false }, 'could not delete the schedules of the space', [err])
  }
  try {
    await iamApi(account.clients.iam).deleteRole(taskExecutionRoleName(target.cluster))
  } catch (err) {
    throw new IncompleteCleanupError<SpaceCleanup>(
      { ...clusterDone, roleDeleted: false },
      `could not delete the task execution role ${taskExecutionRoleName(target.cluster)}`,
      [err],
    )
  }
  return { ...clusterDone, roleDeleted: true }
}

import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { ecsServices } from '../../aws/ecs-services.js'
import { iamApi } from '../../aws/iam.js'
import { belongsToOrg } from '../tags.js'
import { taskExecutionRoleName } from '../taskdefs/execution-role-policy.js'
import { managedFamilies } from '../taskdefs/managed-families.js'
import { deleteClusterWithRetry, type RetryOptions } from './delete-cluster.js'

export interface SpaceCleanup {
  clusterDeleted: boolean
  roleDeleted: boolean
  /** Why the cluster was kept, when it was. */
  keptBecause?: string
}

/** Why the org's cluster must stay: services, managed task definitions or tasks still in it. */
async function inUse(account: Account, org: string, cluster: string, activeServices: number): Promise<string | undefined> {
  if (activeServices > 0) return `${activeServices} service(s) still run in it`
  const ecs = ecsApi(account.clients.ecs)
  const services = ecsServices(account.clients.ecs)
  const [serviceArns, families, tasks] = await Promise.all([
    services.listArns(cluster),
    managedFamilies(account, ecs, org, cluster),
    ecs.listTaskArns({ cluster, desiredStatus: 'RUNNING' }),
  ])
  // ListServices also lists deleted (INACTIVE) services for a while.
  const live = (await services.describe(cluster, serviceArns)).filter((s) => s.status !== 'INACTIVE')
  if (live.length > 0) return `${live.length} service(s) still in it`
  if (families.length > 0) return `task definitions ${families.join(', ')} still use it`
  if (tasks.length > 0) return `${tasks.length} task(s) still run in it`
  return undefined
}

/**
 * Deletes the org's cluster of a space, and then its task execution role, when nothing else is left
 * in it (no service, no managed task definition with an ACTIVE revision, no running task). A cluster
 * already deleted counts as deleted, so the role is still removed when this runs again after a
 * crash; a cluster of another org is never touched. Log groups are kept (they hold the history).
 */
export async function cleanUpSpace(account: Account, target: { org: string; cluster: string }, options: RetryOptions = {}): Promise<SpaceCleanup> {
  const ecs = ecsApi(account.clients.ecs)
  const cluster = await ecs.describeCluster(target.cluster)
  const live = cluster !== undefined && cluster.status !== 'INACTIVE'
  if (live) {
    if (!belongsToOrg(cluster.tags, target.org)) return { clusterDeleted: false, roleDeleted: false, keptBecause: 'not a cluster of the org' }
    const reason = await inUse(account, target.org, target.cluster, cluster.activeServicesCount ?? 0)
    if (reason) return { clusterDeleted: false, roleDeleted: false, keptBecause: reason }
    await deleteClusterWithRetry(ecs, target.cluster, options)
  }
  await iamApi(account.clients.iam).deleteRole(taskExecutionRoleName(target.cluster))
  return { clusterDeleted: true, roleDeleted: true }
}

import { requireOrgCluster } from '../../core/clusters.js'
import type { TaskDefContext } from './context.js'
import { managedFamilies } from '../../workflows/cleanup/managed-families.js'

/** GET /clusters/{cluster}/taskdefs: the families of the org's managed task definitions in the space. */
export async function listTaskDefinitions(ctx: TaskDefContext, cluster: string): Promise<string[]> {
  await requireOrgCluster(ctx.ecs, cluster, ctx.org)
  return managedFamilies(ctx.account, ctx.ecs, ctx.org, cluster, 'task')
}

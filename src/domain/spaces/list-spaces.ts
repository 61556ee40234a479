import { ORG_TAG, SPACE_TAG } from '../../core/tags.js'
import type { SpaceContext } from './context.js'

/** One space of the org as the list shows it. */
export interface SpaceListEntry {
  Space: string
  ClusterArn: string
  Status: string
  ServiceCount: number
  TaskDefinitionFamilyCount: number
}

const CLUSTER = 'ecs:cluster'
const SERVICE = 'ecs:service'
const TASK_DEFINITION = 'ecs:task-definition'

/**
 * The org's spaces in the account: its clusters (tagged `spinup:org`), each with the number of the
 * org's services in it and of task-definition families tagged for it. Two calls deep: one tagging
 * query finds the clusters, services and task definitions of the org at once; DescribeClusters (100
 * per call) then keeps the live ones, because the tagging index lags behind deletions and ECS keeps
 * deleted clusters as INACTIVE. The cluster's own tags are checked again, so a backend that ignored
 * the filter could not show another org's cluster.
 */
export async function listSpaces(ctx: SpaceContext): Promise<SpaceListEntry[]> {
  const found = await ctx.tagging.getResources({
    resourceTypes: [CLUSTER, SERVICE, TASK_DEFINITION],
    tags: [{ key: ORG_TAG, values: [ctx.org] }],
  })
  const clusterArns: string[] = []
  const services = new Map<string, number>()
  const families = new Map<string, Set<string>>()
  for (const r of found) {
    if (r.tags[ORG_TAG] !== ctx.org) continue
    const [type, path] = ecsResource(r.arn)
    if (type === 'cluster') clusterArns.push(r.arn)
    // Long ARN format `service/<cluster>/<name>`: the cluster is in the ARN. (The old short format
    // has no cluster; such services are not counted.)
    else if (type === 'service' && path.length === 2) services.set(path[0]!, (services.get(path[0]!) ?? 0) + 1)
    else if (type === 'task-definition') {
      const space = r.tags[SPACE_TAG]
      const family = path[0]?.replace(/:\d+$/, '')
      if (space && family) families.set(space, (families.get(space) ?? new Set()).add(family))
    }
  }
  if (clusterArns.length === 0) return []
  const clusters = await ctx.ecs.describeClusters(clusterArns)
  return clusters
    .filter((c) => c.status === 'ACTIVE' && c.tags?.some((t) => t.key === ORG_TAG && t.value === ctx.org))
    .map((c): SpaceListEntry => {
      const name = c.clusterName ?? ''
      return {
        Space: name,
        ClusterArn: c.clusterArn ?? '',
        Status: c.status ?? '',
        ServiceCount: services.get(name) ?? 0,
        TaskDefinitionFamilyCount: families.get(name)?.size ?? 0,
      }
    })
    .sort((a, b) => a.Space.localeCompare(b.Space))
}

/** `['service', ['space', 'web']]` of `arn:aws:ecs:<region>:<account>:service/space/web`. */
function ecsResource(arn: string): [string, string[]] {
  const resource = arn.split(':').slice(5).join(':')
  const [type = '', ...path] = resource.split('/')
  return [type, path]
}

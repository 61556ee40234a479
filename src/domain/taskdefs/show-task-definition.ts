import type { JsonValue } from '../../codec/index.js'
import { requireOrgCluster } from '../../core/clusters.js'
import type { TaskDefContext } from './context.js'
import { fromEcsTags } from '../../core/tags.js'
import { requireOrgTaskDefinition } from './org-task-definition.js'
import { clusterJson, taskDefinitionJson } from './responses.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'

export interface ShownTaskDefinition {
  Cluster: JsonValue
  TaskDefinition: JsonValue
  Tags: { Key: string; Value: string }[]
}

/** GET /clusters/{cluster}/taskdefs/{taskdef}: the org's task definition in that space, with its cluster. */
export async function showTaskDefinition(ctx: TaskDefContext, cluster: string, taskdef: string): Promise<ShownTaskDefinition> {
  const ref = parseTaskDefinitionRef(taskdef)
  const [found, td] = await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  return { Cluster: clusterJson(found), TaskDefinition: taskDefinitionJson(td.taskDefinition), Tags: fromEcsTags(td.tags) }
}

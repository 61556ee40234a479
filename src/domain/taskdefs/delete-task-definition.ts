import type { Operations, OperationView } from '../../operations/index.js'
import { ConflictError } from '../errors.js'
import { requireOrgCluster } from '../spaces/clusters.js'
import type { TaskDefContext } from './context.js'
import { TASKDEF_DELETE_KIND, type TaskDefDeleteInput } from './delete-operation.js'
import { requireOrgTaskDefinition } from './org-task-definition.js'
import { parseTaskDefinitionRef } from './task-definition-ref.js'

export interface DeleteRequest {
  recursive: boolean
  force: boolean
  requestId?: string
}

export interface DeleteStarted {
  operation: OperationView
  body: { Cluster: string; TaskDefinition: string; Tasks: null }
}

/**
 * DELETE /clusters/{cluster}/taskdefs/{taskdef}: checks what can be checked at once (the org's
 * cluster and task definition; running tasks need `force`), then starts the tracked operation that
 * stops the tasks, deregisters every revision with its secrets and, with `recursive`, cleans up the
 * space.
 */
export async function deleteTaskDefinition(
  ctx: TaskDefContext,
  operations: Operations,
  cluster: string,
  taskdef: string,
  request: DeleteRequest,
): Promise<DeleteStarted> {
  const ref = parseTaskDefinitionRef(taskdef)
  await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  const running = await ctx.ecs.listTaskArns({ cluster, family: ref.family, desiredStatus: 'RUNNING' })
  if (running.length > 0 && !request.force) {
    throw new ConflictError(`running tasks > 0 (${running.length}) and 'force' is not set`)
  }
  const input: TaskDefDeleteInput = { org: ctx.org, cluster, family: ref.family, recursive: request.recursive }
  const operation = await operations.start({
    kind: TASKDEF_DELETE_KIND,
    account: ctx.account.name,
    target: { cluster, taskDefinition: ref.family },
    input,
    ...(request.requestId ? { requestId: request.requestId } : {}),
  })
  return { operation, body: { Cluster: cluster, TaskDefinition: taskdef, Tasks: null } }
}

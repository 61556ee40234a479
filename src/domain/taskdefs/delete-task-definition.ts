import { familyOfArn, type TaskDefinitionWithTags } from '../../aws/ecs.js'
import { ecsServices } from '../../aws/ecs-services.js'
import type { OperationView } from '../../operations/index.js'
import { startOperation } from '../use-case-context.js'
import { ConflictError } from '../../core/errors.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { FLAVOR_TAG } from '../../core/tags.js'
import type { TaskDefContext } from './context.js'
import { TASKDEF_DELETE_KIND, type TaskDefDeleteInput } from './delete-operation.js'
import { requireOrgTaskDefinition } from './org-task-definition.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'

export interface DeleteRequest {
  recursive: boolean
  force: boolean
}

export interface DeleteStarted {
  operation: OperationView
  body: { Cluster: string; TaskDefinition: string; Tasks: null }
}

/**
 * A service's task definition goes with its service, never from under it: deleting it would
 * deregister the revisions the service runs and delete their credential secrets. A family whose
 * latest revision is a service's, or that an ACTIVE service of the cluster runs (or still deploys),
 * is a 409. `latest` is the family's latest revision when the caller already has it.
 */
async function assertNoServiceUses(
  ctx: TaskDefContext,
  cluster: string,
  family: string,
  latest: TaskDefinitionWithTags | undefined,
): Promise<void> {
  const services = ecsServices(ctx.account.clients.ecs)
  const [newest, users] = await Promise.all([
    latest ?? ctx.ecs.describeTaskDefinition(family),
    services.listArns(cluster).then(async (arns) => (arns.length > 0 ? services.describe(cluster, arns) : [])),
  ])
  if (newest?.tags.some((t) => t.key === FLAVOR_TAG && t.value === 'service')) {
    throw new ConflictError(`task definition family ${family} belongs to a service: delete the service instead`)
  }
  const using = users.filter(
    (s) =>
      s.status === 'ACTIVE' &&
      [s.taskDefinition, ...(s.deployments ?? []).map((d) => d.taskDefinition)].some((arn) => arn !== undefined && familyOfArn(arn) === family),
  )
  if (using.length > 0) {
    const names = using.map((s) => s.serviceName ?? '').join(', ')
    throw new ConflictError(`task definition family ${family} is used by service ${names} of cluster ${cluster}: delete or move the service first`)
  }
}

/**
 * DELETE /clusters/{cluster}/taskdefs/{taskdef}: checks what can be checked at once (the org's
 * cluster and task definition; running tasks need `force`), then starts the tracked operation that
 * stops the tasks, deregisters every revision with its secrets and, with `recursive`, cleans up the
 * space.
 */
export async function deleteTaskDefinition(
  ctx: TaskDefContext,
  cluster: string,
  taskdef: string,
  request: DeleteRequest,
): Promise<DeleteStarted> {
  const ref = parseTaskDefinitionRef(taskdef)
  const [, found] = await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  const [running] = await Promise.all([
    ctx.ecs.listTaskArns({ cluster, family: ref.family, desiredStatus: 'RUNNING' }),
    assertNoServiceUses(ctx, cluster, ref.family, ref.revision === undefined ? found : undefined),
  ])
  if (running.length > 0 && !request.force) {
    throw new ConflictError(`running tasks > 0 (${running.length}) and 'force' is not set`)
  }
  const input: TaskDefDeleteInput = { org: ctx.org, cluster, family: ref.family, recursive: request.recursive }
  const operation = await startOperation(ctx, TASKDEF_DELETE_KIND, { cluster, taskDefinition: ref.family }, input)
  return { operation, body: { Cluster: cluster, TaskDefinition: taskdef, Tasks: null } }
}

import type { RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { decode } from '../../codec/index.js'
import { RunTaskBody } from './bodies.js'
import { InputError } from '../../core/errors.js'
import { checkCapacityProviderStrategy, checkLaunchType, fieldError } from '../services/service-rules.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { checkTags, fromEcsTags, MAX_ECS_CLIENT_TAGS, toEcsTags, withoutOrgTags } from '../../core/tags.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { checkOverrides, MAX_TASK_COUNT, networkOf, onlyFields, overridesOf } from './task-launch.js'
import { tasksOutput, type TasksOutput } from './task-output.js'

/**
 * The RunTask fields a caller may set. The cluster and task definition come from the path (a body's
 * own are ignored); everything else (placement, volumes, execute command, ...) is refused, so a
 * field added to RunTask never reaches ECS unchecked.
 */
const BODY_FIELDS = new Set([
  'count',
  'startedBy',
  'group',
  'overrides',
  'capacityProviderStrategy',
  'launchType',
  'networkConfiguration',
  'tags',
  'cluster',
  'taskDefinition',
])
/** Checks the body and builds the RunTask input from the allowed fields, before any AWS call. */
function runTaskInput(ctx: TaskDefContext, body: unknown): Omit<RunTaskCommandInput, 'taskDefinition'> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const { value } = decode(RunTaskBody, body)
  onlyFields('', value, BODY_FIELDS)
  const count = value.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_TASK_COUNT) throw new InputError(`count must be 1 to ${MAX_TASK_COUNT}`)
  checkCapacityProviderStrategy('capacityProviderStrategy', value.capacityProviderStrategy)
  checkLaunchType('launchType', value.launchType, (value.capacityProviderStrategy ?? []).length > 0)
  const clientTags = fromEcsTags(value.tags)
  checkTags(clientTags, { field: 'tags', max: MAX_ECS_CLIENT_TAGS })
  const tags = withoutOrgTags(clientTags, ctx.org)
  const overrides = overridesOf(value.overrides)
  return {
    count,
    ...(value.startedBy !== undefined ? { startedBy: value.startedBy } : {}),
    ...(value.group !== undefined ? { group: value.group } : {}),
    ...(overrides !== undefined ? { overrides } : {}),
    // An absent strategy means Fargate; a given one (even empty: the cluster's default) picks capacity.
    ...(value.capacityProviderStrategy === undefined
      ? { launchType: 'FARGATE' }
      : { capacityProviderStrategy: value.capacityProviderStrategy }),
    networkConfiguration: networkOf(ctx, value.networkConfiguration),
    enableECSManagedTags: true,
    propagateTags: 'TASK_DEFINITION',
    tags: toEcsTags(tags),
  }
}

/** POST .../taskdefs/{taskdef}/tasks: runs tasks of the org's task definition in the org's cluster. */
export async function runTask(ctx: TaskDefContext, cluster: string, taskdef: string, body: unknown): Promise<TasksOutput> {
  const ref = parseTaskDefinitionRef(taskdef)
  const input = runTaskInput(ctx, body)
  const [found, td] = await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  checkOverrides(input.overrides, td.taskDefinition)
  const { tasks, failures } = await ctx.ecs.runTask({
    ...input,
    cluster: found.clusterArn ?? cluster,
    taskDefinition: td.taskDefinition.taskDefinitionArn ?? ref.ref,
    // A retry with the same Idempotency-Key sends the same token, so AWS starts the tasks once.
    ...(ctx.clientToken !== undefined ? { clientToken: ctx.clientToken } : {}),
  })
  return tasksOutput(tasks, failures)
}

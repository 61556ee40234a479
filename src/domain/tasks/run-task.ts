import type {
  AwsVpcConfiguration,
  ContainerOverride,
  NetworkConfiguration,
  RunTaskCommandInput,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs'
import { decode } from '../../codec/index.js'
import { RunTaskBody } from './bodies.js'
import { InputError } from '../../core/errors.js'
import { checkCapacityProviderStrategy, checkLaunchType, fieldError } from '../services/service-rules.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { accountNetwork, checkGivenNetwork } from '../../core/service-network.js'
import { checkTags, fromEcsTags, MAX_ECS_CLIENT_TAGS, toEcsTags, withoutOrgTags } from '../../core/tags.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef } from '../taskdefs/task-definition-ref.js'
import { tasksOutput, type TasksOutput } from './task-output.js'

/** RunTask starts at most 10 tasks per call. */
const MAX_COUNT = 10

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
/** Task-level overrides a caller may set; the role overrides only when they name the task definition's own roles. */
const TASK_OVERRIDE_FIELDS = new Set(['containerOverrides', 'cpu', 'memory', 'ephemeralStorage', 'taskRoleArn', 'executionRoleArn'])
const CONTAINER_OVERRIDE_FIELDS = new Set(['name', 'command', 'environment', 'cpu', 'memory', 'memoryReservation'])

/** Refuses any set field of `value` outside `allowed`, naming its path. */
function onlyFields(path: string, value: object, allowed: ReadonlySet<string>): void {
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || allowed.has(key)) continue
    // An explicit "no execute command" asks for nothing.
    if (key === 'enableExecuteCommand' && v === false) continue
    throw fieldError(path ? `${path}.${key}` : key, 'is not supported on this route')
  }
}

/**
 * The network of the task: what the client gives (from the account's subnets and security groups),
 * completed with the account's. A public IP only where the account allows it (and by default there, since tasks in public
 * subnets need one to pull images); asking for one elsewhere is a 400, never silently granted.
 */
function networkOf(ctx: TaskDefContext, given: NetworkConfiguration | undefined): NetworkConfiguration {
  const allowPublic = ctx.account.config.allowPublicIp === true
  const vpc: Partial<AwsVpcConfiguration> = given?.awsvpcConfiguration ?? {}
  if (vpc.assignPublicIp === 'ENABLED' && !allowPublic) {
    throw new InputError('networkConfiguration.awsvpcConfiguration.assignPublicIp ENABLED is not allowed in this account')
  }
  checkGivenNetwork('networkConfiguration.awsvpcConfiguration', vpc, accountNetwork(ctx.account.config))
  const subnets = vpc.subnets ?? ctx.account.config.defaultSubnets ?? []
  if (subnets.length === 0) {
    throw new InputError(`account ${ctx.account.name} has no default subnets: give networkConfiguration.awsvpcConfiguration.subnets`)
  }
  return {
    awsvpcConfiguration: {
      subnets: [...subnets],
      securityGroups: [...(vpc.securityGroups ?? ctx.account.config.defaultSgs ?? [])],
      assignPublicIp: vpc.assignPublicIp ?? (allowPublic ? 'ENABLED' : 'DISABLED'),
    },
  }
}

/** The container overrides, field by field from the allow-list. */
function containerOverridesOf(given: readonly ContainerOverride[] | undefined): ContainerOverride[] | undefined {
  return given?.map((c, i) => {
    const at = `overrides.containerOverrides[${i}]`
    onlyFields(at, c, CONTAINER_OVERRIDE_FIELDS)
    if (!c.name) throw fieldError(`${at}.name`, 'is required')
    return {
      name: c.name,
      ...(c.command !== undefined ? { command: c.command } : {}),
      ...(c.environment !== undefined ? { environment: c.environment } : {}),
      ...(c.cpu !== undefined ? { cpu: c.cpu } : {}),
      ...(c.memory !== undefined ? { memory: c.memory } : {}),
      ...(c.memoryReservation !== undefined ? { memoryReservation: c.memoryReservation } : {}),
    }
  })
}

/** The task overrides, from the allow-list; roles are only checked against the task definition later. */
function overridesOf(given: TaskOverride | undefined): TaskOverride | undefined {
  if (given === undefined) return undefined
  onlyFields('overrides', given, TASK_OVERRIDE_FIELDS)
  const containerOverrides = containerOverridesOf(given.containerOverrides)
  return {
    ...(containerOverrides !== undefined ? { containerOverrides } : {}),
    ...(given.cpu !== undefined ? { cpu: given.cpu } : {}),
    ...(given.memory !== undefined ? { memory: given.memory } : {}),
    ...(given.ephemeralStorage !== undefined ? { ephemeralStorage: given.ephemeralStorage } : {}),
    ...(given.taskRoleArn !== undefined ? { taskRoleArn: given.taskRoleArn } : {}),
    ...(given.executionRoleArn !== undefined ? { executionRoleArn: given.executionRoleArn } : {}),
  }
}

/**
 * A role override runs the task with another role's permissions (another space's secrets and
 * parameters): only the task definition's own role is accepted, and then there is nothing to override.
 * Container overrides must name containers of the task definition.
 */
function checkOverrides(overrides: TaskOverride | undefined, td: TaskDefinition): void {
  if (!overrides) return
  for (const field of ['taskRoleArn', 'executionRoleArn'] as const) {
    const given = overrides[field]
    if (given !== undefined && given !== td[field]) {
      throw fieldError(`overrides.${field}`, "may only name the task definition's own role")
    }
  }
  const names = new Set((td.containerDefinitions ?? []).map((c) => c.name))
  for (const [i, c] of (overrides.containerOverrides ?? []).entries()) {
    if (!names.has(c.name)) throw fieldError(`overrides.containerOverrides[${i}].name`, `is not a container of the task definition: "${c.name ?? ''}"`)
  }
}

/** Checks the body and builds the RunTask input from the allowed fields, before any AWS call. */
function runTaskInput(ctx: TaskDefContext, body: unknown): Omit<RunTaskCommandInput, 'taskDefinition'> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const { value } = decode(RunTaskBody, body)
  onlyFields('', value, BODY_FIELDS)
  const count = value.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new InputError(`count must be 1 to ${MAX_COUNT}`)
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

import type { AwsVpcConfiguration, ContainerOverride, NetworkConfiguration, TaskDefinition, TaskOverride } from '@aws-sdk/client-ecs'
import { InputError } from '../../core/errors.js'
import { accountNetwork, checkGivenNetwork } from '../../core/service-network.js'
import { fieldError } from '../services/service-rules.js'
import type { UseCaseContext } from '../use-case-context.js'

/**
 * How a task of the org is launched, shared by the run route and scheduled tasks: the allow-list of
 * overrides, their check against the task definition, and the network from the account's.
 */

/** RunTask (and a schedule's ECS target) starts at most 10 tasks at a time. */
export const MAX_TASK_COUNT = 10

/** Task-level overrides a caller may set; the role overrides only when they name the task definition's own roles. */
const TASK_OVERRIDE_FIELDS = new Set(['containerOverrides', 'cpu', 'memory', 'ephemeralStorage', 'taskRoleArn', 'executionRoleArn'])
const CONTAINER_OVERRIDE_FIELDS = new Set(['name', 'command', 'environment', 'cpu', 'memory', 'memoryReservation'])

/** Refuses any set field of `value` outside `allowed`, naming its path. */
export function onlyFields(path: string, value: object, allowed: ReadonlySet<string>): void {
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
export function networkOf(ctx: UseCaseContext, given: NetworkConfiguration | undefined): NetworkConfiguration {
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
export function overridesOf(given: TaskOverride | undefined): TaskOverride | undefined {
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
export function checkOverrides(overrides: TaskOverride | undefined, td: TaskDefinition): void {
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


import type { RegisterTaskDefinitionCommandInput, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import { RegisterTaskDefinitionRequest$, Service$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
import { compare, createTwoFilesPatch } from '../../core/lazy/diff.js'
import { encode, type JsonValue } from '../../codec/index.js'
import type { ObjectChange } from '../../core/plan/plan-types.js'

/**
 * The diff of a live ECS object against the one a request would send, without the noise: members
 * ECS fills in or keeps for itself (revision, status, timestamps, compatibilities, ...), values ECS
 * gives when they are left out (an essential container, cpu 0, tcp ports, ...), and empty lists and
 * maps, are taken out of both sides, so re-sending what runs is no change. Both sides are the wire
 * form (PascalCase), as a client reads them from GET.
 */

type Json = JsonValue
type JsonObject = { [key: string]: Json }

/** Members ECS answers but a client never sends: out of the comparison. */
const TASK_DEFINITION_READ_ONLY = [
  'TaskDefinitionArn',
  'Revision',
  'Status',
  'RequiresAttributes',
  'Compatibilities',
  'RegisteredAt',
  'RegisteredBy',
  'DeregisteredAt',
  // Tags are not part of a revision's definition; the tag steps report them.
  'Tags',
]
const SERVICE_READ_ONLY = [
  'ServiceArn',
  'ClusterArn',
  'Status',
  'RunningCount',
  'PendingCount',
  'Deployments',
  'Events',
  'CreatedAt',
  'CreatedBy',
  'RoleArn',
  'TaskSets',
  'PlatformFamily',
  'CurrentServiceDeployment',
  'CurrentServiceRevisions',
  'ResourceManagementType',
  'Tags',
]

/** Values ECS fills in when a member is left out, by member, at any depth of that object. */
const CONTAINER_DEFAULTS: JsonObject = { Essential: true, Cpu: 0, VersionConsistency: 'enabled' }
const TASK_DEFINITION_DEFAULTS: JsonObject = { EnableFaultInjection: false }
const SERVICE_DEFAULTS: JsonObject = {
  PlatformVersion: 'LATEST',
  SchedulingStrategy: 'REPLICA',
  PropagateTags: 'NONE',
  EnableECSManagedTags: false,
  EnableExecuteCommand: false,
  HealthCheckGracePeriodSeconds: 0,
  AvailabilityZoneRebalancing: 'DISABLED',
}
const DEPLOYMENT_DEFAULTS: JsonObject = { MaximumPercent: 200, MinimumHealthyPercent: 100, Strategy: 'ROLLING' }
/** Lists ECS treats as sets (their order carries no meaning). */
const SET_LISTS = new Set(['Subnets', 'SecurityGroups', 'RequiresCompatibilities'])
/** Lists of named entries ECS treats as sets. */
const NAMED_SETS = new Set(['Environment', 'Secrets'])

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function without(obj: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)))
}

function withoutDefaults(obj: JsonObject, defaults: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k, v]) => !(k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v))))
}

/** Drops null, empty lists and empty maps at any depth, sorts set-like lists, and orders keys. */
function pruned(value: Json, key = ''): Json | undefined {
  if (value === null) return undefined
  if (Array.isArray(value)) {
    let items = value.map((v) => pruned(v)).filter((v): v is Json => v !== undefined)
    if (SET_LISTS.has(key)) items = [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    if (NAMED_SETS.has(key)) items = [...items].sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
    return items.length > 0 ? items : undefined
  }
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .flatMap((k) => {
        const v = pruned(value[k] ?? null, k)
        return v === undefined ? [] : [[k, v] as const]
      })
    return entries.length > 0 ? Object.fromEntries(entries) : undefined
  }
  return value
}

function nameOf(v: Json): string {
  return isObject(v) && typeof v.Name === 'string' ? v.Name : JSON.stringify(v)
}

function container(c: Json): Json {
  if (!isObject(c)) return c
  const out = withoutDefaults(c, CONTAINER_DEFAULTS)
  if (Array.isArray(c.PortMappings)) {
    out.PortMappings = c.PortMappings.map((p) => {
      if (!isObject(p)) return p
      // awsvpc: the host port is the container port; tcp is the default protocol.
      const { HostPort, Protocol, ...rest } = p
      return { ...rest, ...(HostPort !== undefined && HostPort !== p.ContainerPort ? { HostPort } : {}), ...(Protocol !== undefined && Protocol !== 'tcp' ? { Protocol } : {}) }
    })
  }
  return out
}

/** A task definition (as ECS answers it, or as RegisterTaskDefinition takes it) in comparable wire form. */
export function comparableTaskDefinition(td: TaskDefinition | RegisterTaskDefinitionCommandInput | undefined, input = false): JsonObject {
  if (!td) return {}
  const wire = encode(input ? RegisterTaskDefinitionRequest$ : TaskDefinition$, td)
  if (!isObject(wire)) return {}
  const out = withoutDefaults(without(wire, TASK_DEFINITION_READ_ONLY), TASK_DEFINITION_DEFAULTS)
  if (Array.isArray(out.ContainerDefinitions)) out.ContainerDefinitions = out.ContainerDefinitions.map(container)
  return (pruned(out) as JsonObject | undefined) ?? {}
}

/** A service in comparable wire form. */
export function comparableService(service: Service | undefined): JsonObject {
  if (!service) return {}
  const wire = encode(Service$, service)
  if (!isObject(wire)) return {}
  const out = withoutDefaults(without(wire, SERVICE_READ_ONLY), SERVICE_DEFAULTS)
  if (isObject(out.DeploymentConfiguration)) {
    const dc = withoutDefaults(out.DeploymentConfiguration, DEPLOYMENT_DEFAULTS)
    const breaker = dc.DeploymentCircuitBreaker
    if (isObject(breaker) && breaker.Enable === false && breaker.Rollback === false) delete dc.DeploymentCircuitBreaker
    // ECS answers alarms switched off, with no alarm names, when none were asked for.
    const alarms = dc.Alarms
    if (isObject(alarms) && alarms.Enable === false && alarms.Rollback === false && !(Array.isArray(alarms.AlarmNames) && alarms.AlarmNames.length > 0)) delete dc.Alarms
    out.DeploymentConfiguration = dc
  }
  if (isObject(out.DeploymentController) && out.DeploymentController.Type === 'ECS') delete out.DeploymentController
  const vpc = isObject(out.NetworkConfiguration) ? out.NetworkConfiguration.AwsvpcConfiguration : undefined
  if (isObject(vpc) && vpc.AssignPublicIp === 'DISABLED') delete vpc.AssignPublicIp
  return (pruned(out) as JsonObject | undefined) ?? {}
}

/** The change from `live` to `planned` (both comparable forms); `name` labels the diff's files. */
export function objectChange(name: string, live: JsonObject, planned: JsonObject): ObjectChange {
  const Patch = compare(live, planned)
  const text = (o: JsonObject) => (Object.keys(o).length === 0 ? '' : `${JSON.stringify(o, null, 2)}\n`)
  const Diff = Patch.length === 0 ? '' : createTwoFilesPatch(`live/${name}`, `planned/${name}`, text(live), text(planned), undefined, undefined, { context: 3 })
  return { Patch, Diff }
}

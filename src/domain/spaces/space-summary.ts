import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { TargetHealthDescription } from '../../aws/elbv2.js'
import type { JsonValue } from '../../codec/index.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { NotFoundError } from '../../core/errors.js'
import { belongsToOrg } from '../../core/tags.js'
import { spaceResourceArns } from '../../aws/space-resources.js'
import type { SpaceContext } from './context.js'
import { serviceEntry, type ServiceEntry } from '../../core/spaces/service-entry.js'
import { spaceSections, type SpaceFacts, type SpaceSection, type SpaceSectionParts } from './summary-sections.js'

export interface FamilyEntry {
  Family: string
  /** The newest revision tagged for the space. */
  LatestTaskDefinitionArn: string
  Revisions: number
  [section: string]: unknown
}

export interface SpaceSummary {
  Space: string
  ClusterArn: string
  Status: string
  Services: ServiceEntry[]
  TaskDefinitionFamilies: FamilyEntry[]
  SecretCount: number
  ParameterCount: number
  /** Keys of optional sections that could not be read this time (the rest of the summary stands). */
  IncompleteSections?: string[]
  [section: string]: unknown
}

const TASK_DEFINITION = 'ecs:task-definition'
const SECRET = 'secretsmanager:secret'
const PARAMETER = 'ssm:parameter'

/**
 * Calls one fan-out of the summary keeps in flight: enough for the task definitions and target
 * groups of 20 services to go out together (one round), bounded so a large space does not meet
 * ECS's and ELB's per-account throttles all at once.
 */
const SUMMARY_FAN_OUT = 20

/** Cluster statuses of a space that exists. */
const LIVE = new Set(['ACTIVE', 'PROVISIONING'])

/**
 * One summary of a space a portal can render without further calls. Its AWS calls form three
 * rounds, each call starting as soon as what it needs is known:
 *
 *     DescribeClusters (org check) ┐
 *     ListServices ────────────────┼─ DescribeServices (10 per call) ─┬─ DescribeTaskDefinition (per service's revision)
 *     ListTasks RUNNING, STOPPED ──┼─ DescribeTasks (100 per call)    ├─ DescribeTargetHealth (once per target group)
 *     GetResources (families, ─────┘                                  └─ optional sections (summary-sections.ts)
 *       secrets, parameters of the space)
 *
 * The first round's lists run beside the org check and are only read once it has passed; a space
 * that is missing, deleted or another org's is a 404 whatever they answered.
 */
export async function spaceSummary(
  ctx: SpaceContext,
  space: string,
  sections: readonly SpaceSection[] = spaceSections,
  now: () => Date = () => new Date(),
): Promise<SpaceSummary> {
  const clusterP = ctx.ecs.describeCluster(space)
  const serviceArnsP = ctx.services.listArns(space)
  const runningP = ctx.ecs.listTaskArns({ cluster: space, desiredStatus: 'RUNNING' })
  const stoppedP = ctx.ecs.listTaskArns({ cluster: space, desiredStatus: 'STOPPED' })
  const taggedP = spaceResourceArns(ctx.tagging, ctx.org, space, [TASK_DEFINITION, SECRET, PARAMETER])
  // Rethrown by the awaits below once the org check has passed; meanwhile not unhandled.
  for (const p of [serviceArnsP, runningP, stoppedP, taggedP]) p.catch(() => undefined)

  const cluster = await clusterP
  if (!cluster || !LIVE.has(cluster.status ?? '') || !belongsToOrg(cluster.tags, ctx.org)) {
    throw new NotFoundError(`space ${space} not found`)
  }

  const servicesP = serviceArnsP
    .then((arns) => ctx.services.describe(space, arns))
    .then((described) =>
      described
        .filter((s) => s.status === 'ACTIVE' && belongsToOrg(s.tags, ctx.org))
        .sort((a, b) => (a.serviceName ?? '').localeCompare(b.serviceName ?? '')),
    )
  const tasksP = Promise.all([runningP, stoppedP]).then(([running, stopped]) =>
    ctx.ecs.describeTasks(space, [...new Set([...running, ...stopped])]).then((out) => out.tasks),
  )
  const familiesP = taggedP.then((tagged) => families(tagged[TASK_DEFINITION]))

  const taskDefinitionsP = servicesP.then((services) => describeTaskDefinitions(ctx, services))
  const healthP = servicesP.then((services) => targetHealth(ctx, services))
  const sectionsP = Promise.all([servicesP, familiesP]).then(([services, fams]) =>
    buildSections(sections, { ctx, space, cluster, services, families: fams.map((f) => f.Family) }),
  )

  const [services, tasks, tagged, fams, taskDefinitions, health, parts] = await Promise.all([
    servicesP,
    tasksP,
    taggedP,
    familiesP,
    taskDefinitionsP,
    healthP,
    sectionsP,
  ])
  const at = now()
  const entries = services.map((service) =>
    serviceEntry({ service, taskDefinition: taskDefinitions.get(service.taskDefinition ?? ''), tasks, health, now: at }),
  )
  return assemble(cluster, space, entries, fams, tagged[SECRET].length, tagged[PARAMETER].length, parts)
}

/** The space's families from the ARNs of its tagged revisions, by name. */
function families(arns: readonly string[]): FamilyEntry[] {
  const byFamily = new Map<string, { latest: string; revision: number; count: number }>()
  for (const arn of arns) {
    const m = /:task-definition\/([^:/]+):(\d+)$/.exec(arn)
    if (!m) continue
    const [, family = '', rev = '0'] = m
    const seen = byFamily.get(family)
    const revision = Number(rev)
    if (!seen) byFamily.set(family, { latest: arn, revision, count: 1 })
    else byFamily.set(family, { ...(revision > seen.revision ? { latest: arn, revision } : seen), count: seen.count + 1 })
  }
  return [...byFamily]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([family, f]) => ({ Family: family, LatestTaskDefinitionArn: f.latest, Revisions: f.count }))
}

async function describeTaskDefinitions(ctx: SpaceContext, services: readonly Service[]): Promise<Map<string, TaskDefinition>> {
  const refs = [...new Set(services.flatMap((s) => (s.taskDefinition ? [s.taskDefinition] : [])))]
  const found = await mapWithConcurrency(refs, (ref) => ctx.ecs.describeTaskDefinition(ref), SUMMARY_FAN_OUT)
  return new Map(refs.flatMap((ref, i) => (found[i] ? [[ref, found[i].taskDefinition] as const] : [])))
}

/** Health of every target group the services register with, one DescribeTargetHealth each. */
async function targetHealth(ctx: SpaceContext, services: readonly Service[]): Promise<Map<string, TargetHealthDescription[]>> {
  const arns = [...new Set(services.flatMap((s) => (s.loadBalancers ?? []).flatMap((lb) => lb.targetGroupArn ?? [])))]
  const health = await mapWithConcurrency(arns, (arn) => ctx.elbv2.describeTargetHealth(arn), SUMMARY_FAN_OUT)
  return new Map(arns.map((arn, i) => [arn, health[i] ?? []]))
}

interface BuiltSection {
  key: string
  parts?: SpaceSectionParts
}

/** Every section side by side; one that fails is named in the answer and logged, the others stand. */
async function buildSections(sections: readonly SpaceSection[], facts: SpaceFacts): Promise<BuiltSection[]> {
  return Promise.all(
    sections.map(async (section): Promise<BuiltSection> => {
      try {
        return { key: section.key, parts: await section.build(facts) }
      } catch (err) {
        facts.ctx.log?.warn({ err: { message: (err as Error).message }, section: section.key }, 'space summary section failed')
        return { key: section.key }
      }
    }),
  )
}

function assemble(
  cluster: Cluster,
  space: string,
  services: ServiceEntry[],
  families: FamilyEntry[],
  secretCount: number,
  parameterCount: number,
  sections: readonly BuiltSection[],
): SpaceSummary {
  const summary: SpaceSummary = {
    Space: space,
    ClusterArn: cluster.clusterArn ?? '',
    Status: cluster.status ?? '',
    Services: services,
    TaskDefinitionFamilies: families,
    SecretCount: secretCount,
    ParameterCount: parameterCount,
  }
  const incomplete: string[] = []
  for (const { key, parts } of sections) {
    if (!parts) {
      incomplete.push(key)
      continue
    }
    put(services, (s) => s.ServiceName, key, parts.services)
    put(families, (f) => f.Family, key, parts.families)
    if (parts.space !== undefined) summary[key] = parts.space
  }
  if (incomplete.length > 0) summary.IncompleteSections = incomplete
  return summary
}

function put<E extends Record<string, unknown>>(
  entries: E[],
  nameOf: (entry: E) => string,
  key: string,
  values: ReadonlyMap<string, JsonValue> | undefined,
): void {
  if (!values) return
  for (const entry of entries) {
    const value = values.get(nameOf(entry))
    if (value !== undefined) (entry as Record<string, unknown>)[key] = value
  }
}

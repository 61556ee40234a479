import type { Service, Task } from '@aws-sdk/client-ecs'
import type { Ecs } from '../../aws/ecs.js'
import type { EcsServices } from '../../aws/ecs-services.js'
import { evaluate, type Evaluation } from '../../core/deployments/evaluate.js'
import {
  MAX_TIMELINE,
  type DeploymentInput,
  type DeploymentProgress,
  type ImageDigest,
  type StoppedTask,
  type TimelineEntry,
} from '../../core/deployments/model.js'

/**
 * One look at a service for one deployment: its state, the service events since the deployment
 * started, and the tasks it started that stopped. Answers the next progress and whether anything
 * new was seen (the tracker backs off while nothing is).
 */

export interface RoundAdapters {
  services: EcsServices
  ecs: Ecs
}

/** Tasks started this long before our start still count as ours (clock differences). */
const CLOCK_SLACK_MS = 5_000

type NewEntry = TimelineEntry extends infer E ? (E extends TimelineEntry ? Omit<E, 'seq'> : never) : never

export function appendEntries(progress: DeploymentProgress, entries: readonly NewEntry[]): void {
  let seq = progress.timeline.at(-1)?.seq ?? 0
  for (const entry of entries) progress.timeline.push({ ...entry, seq: ++seq })
  if (progress.timeline.length > MAX_TIMELINE) progress.timeline.splice(0, progress.timeline.length - MAX_TIMELINE)
}

function seenIds(progress: DeploymentProgress): { events: Set<string>; tasks: Set<string> } {
  const events = new Set<string>()
  const tasks = new Set<string>()
  for (const e of progress.timeline) {
    if (e.type === 'service-event') events.add(e.id)
    if (e.type === 'task-stopped') tasks.add(e.task.taskArn)
  }
  return { events, tasks }
}

function isOurs(task: Task, input: DeploymentInput): boolean {
  if (task.taskDefinitionArn !== input.taskDefinition) return false
  if (input.ecsDeploymentId !== undefined && task.startedBy === input.ecsDeploymentId) return true
  const created = task.createdAt?.getTime() ?? task.startedAt?.getTime()
  return created === undefined || created >= Date.parse(input.startedAt) - CLOCK_SLACK_MS
}

function stoppedTask(task: Task): StoppedTask {
  return {
    taskArn: task.taskArn ?? '',
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt.toISOString() } : {}),
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '',
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.image ? { image: c.image } : {}),
      ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
    })),
  }
}

async function newServiceEvents(service: Service, input: DeploymentInput, seen: Set<string>): Promise<NewEntry[]> {
  const since = Date.parse(input.startedAt) - CLOCK_SLACK_MS
  return (service.events ?? [])
    .filter((e) => e.id !== undefined && !seen.has(e.id) && (e.createdAt?.getTime() ?? 0) >= since)
    .reverse() // ECS lists the newest first; the timeline runs oldest first
    .map((e) => ({ at: (e.createdAt ?? new Date()).toISOString(), type: 'service-event' as const, id: e.id!, message: e.message ?? '' }))
}

async function newStoppedTasks(adapters: RoundAdapters, input: DeploymentInput, seen: Set<string>): Promise<NewEntry[]> {
  const arns = await adapters.ecs.listTaskArns({ cluster: input.cluster, serviceName: input.service, desiredStatus: 'STOPPED' })
  const fresh = arns.filter((arn) => !seen.has(arn))
  if (fresh.length === 0) return []
  const { tasks } = await adapters.ecs.describeTasks(input.cluster, fresh)
  return tasks
    .filter((t) => isOurs(t, input))
    .map((t) => ({ at: (t.stoppedAt ?? new Date()).toISOString(), type: 'task-stopped' as const, task: stoppedTask(t) }))
}

/** The image digests the running tasks of our revision report, one per container and digest. */
export async function runningDigests(adapters: RoundAdapters, input: DeploymentInput): Promise<ImageDigest[]> {
  const arns = await adapters.ecs.listTaskArns({ cluster: input.cluster, serviceName: input.service, desiredStatus: 'RUNNING' })
  const { tasks } = await adapters.ecs.describeTasks(input.cluster, arns)
  const seen = new Map<string, ImageDigest>()
  for (const task of tasks.filter((t) => t.taskDefinitionArn === input.taskDefinition)) {
    for (const c of task.containers ?? []) {
      if (!c.imageDigest || !c.name) continue
      const image = c.image ?? input.images.find((i) => i.container === c.name)?.image ?? ''
      seen.set(`${c.name}\0${c.imageDigest}`, { container: c.name, image, digest: c.imageDigest })
    }
  }
  return [...seen.values()]
}

export interface RoundResult {
  progress: DeploymentProgress
  changed: boolean
  evaluation: Evaluation
}

export async function trackRound(adapters: RoundAdapters, input: DeploymentInput, before: DeploymentProgress): Promise<RoundResult> {
  const progress: DeploymentProgress = structuredClone(before)
  const [service] = await adapters.services.describe(input.cluster, [input.service])
  const evaluation = evaluate(service, input)
  const seen = seenIds(progress)
  const entries: NewEntry[] = [
    ...(service ? await newServiceEvents(service, input, seen.events) : []),
    ...(service ? await newStoppedTasks(adapters, input, seen.tasks) : []),
  ]
  const last = before.counts
  const stateChanged =
    evaluation.outcome !== before.outcome ||
    evaluation.rolloutState !== before.rolloutState ||
    last === undefined ||
    JSON.stringify(last) !== JSON.stringify(evaluation.counts)
  if (stateChanged) {
    entries.push({
      at: new Date().toISOString(),
      type: 'deployment',
      outcome: evaluation.outcome,
      counts: evaluation.counts,
      ...(evaluation.rolloutState ? { rolloutState: evaluation.rolloutState } : {}),
      ...(evaluation.reason ? { reason: evaluation.reason } : {}),
    })
  }
  appendEntries(progress, entries)
  progress.outcome = evaluation.outcome
  progress.counts = evaluation.counts
  if (evaluation.rolloutState) progress.rolloutState = evaluation.rolloutState
  if (evaluation.reason) progress.reason = evaluation.reason
  return { progress, changed: entries.length > 0, evaluation }
}

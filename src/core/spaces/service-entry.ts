import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2'

/**
 * The per-service part of the space summary, built from what the summary read (pure, so the rules
 * about tasks, digests and failures are testable without AWS).
 */

export interface ContainerEntry {
  Name: string
  /** The image the service's task definition names. */
  Image: string
  /** The digests the service's running tasks report for this container (none before they pulled it). */
  RunningDigests: string[]
}

export interface TargetEntry {
  Id: string
  Port: string
  State: string
  Reason: string
}

export interface TargetGroupHealth {
  TargetGroupArn: string
  ContainerName: string
  ContainerPort: number | null
  /** Number of targets by state (`healthy`, `unhealthy`, `initial`, `draining`, ...). */
  States: Record<string, number>
  Targets: TargetEntry[]
}

export interface RecentFailures {
  /** Start of the window: one hour before the answer. */
  Since: string
  StoppedTasks: number
  /** The most frequent stop reason in the window; null when no task stopped. */
  TopReason: string | null
}

export interface ServiceEntry {
  ServiceName: string
  ServiceArn: string
  Status: string
  TaskDefinition: string
  DesiredCount: number
  RunningCount: number
  PendingCount: number
  Containers: ContainerEntry[]
  LoadBalancers: TargetGroupHealth[]
  RecentFailures: RecentFailures
  /** Parts of optional sections (`Deployment`, `Autoscaling`, ...), see summary-sections.ts. */
  [section: string]: unknown
}

/** How far back "recent" failures go. */
export const FAILURE_WINDOW_MS = 60 * 60 * 1000

/**
 * Whether a task was started for the service: ECS puts `service:<name>` in the task's group and the
 * deployment's id in `startedBy`.
 */
export function isTaskOf(service: Service, task: Task): boolean {
  if (task.group === `service:${service.serviceName ?? ''}`) return true
  return task.startedBy !== undefined && (service.deployments ?? []).some((d) => d.id === task.startedBy)
}

export interface ServiceEntryInput {
  service: Service
  taskDefinition: TaskDefinition | undefined
  tasks: readonly Task[]
  health: ReadonlyMap<string, readonly TargetHealthDescription[]>
  now: Date
}

export function serviceEntry({ service, taskDefinition, tasks, health, now }: ServiceEntryInput): ServiceEntry {
  const mine = tasks.filter((t) => isTaskOf(service, t))
  const running = mine.filter((t) => t.desiredStatus !== 'STOPPED' && t.lastStatus !== 'STOPPED')
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS)
  // ECS keeps a stopped task visible for about an hour; one without a stop time (some backends leave
  // it out) is counted as recent.
  const stopped = mine.filter(
    (t) => (t.desiredStatus === 'STOPPED' || t.lastStatus === 'STOPPED') && (t.stoppedAt === undefined || t.stoppedAt >= since),
  )
  return {
    ServiceName: service.serviceName ?? '',
    ServiceArn: service.serviceArn ?? '',
    Status: service.status ?? '',
    TaskDefinition: service.taskDefinition ?? '',
    DesiredCount: service.desiredCount ?? 0,
    RunningCount: service.runningCount ?? 0,
    PendingCount: service.pendingCount ?? 0,
    Containers: containers(taskDefinition, running),
    LoadBalancers: (service.loadBalancers ?? [])
      .filter((lb) => lb.targetGroupArn !== undefined)
      .map((lb) => targetGroupHealth(lb.targetGroupArn!, lb.containerName ?? '', lb.containerPort, health.get(lb.targetGroupArn!) ?? [])),
    RecentFailures: { Since: since.toISOString(), StoppedTasks: stopped.length, TopReason: topReason(stopped) },
  }
}

/** The task definition's containers with the digests running tasks report; the tasks' own when it is gone. */
function containers(taskDefinition: TaskDefinition | undefined, running: readonly Task[]): ContainerEntry[] {
  const digests = new Map<string, Set<string>>()
  const images = new Map<string, string>()
  for (const task of running) {
    for (const c of task.containers ?? []) {
      if (!c.name) continue
      if (c.image && !images.has(c.name)) images.set(c.name, c.image)
      if (c.imageDigest) digests.set(c.name, (digests.get(c.name) ?? new Set()).add(c.imageDigest))
    }
  }
  const defined = taskDefinition?.containerDefinitions?.map((c) => [c.name ?? '', c.image ?? ''] as const) ?? [...images]
  return defined.map(([name, image]) => ({ Name: name, Image: image, RunningDigests: [...(digests.get(name) ?? [])].sort() }))
}

function targetGroupHealth(
  arn: string,
  containerName: string,
  containerPort: number | undefined,
  targets: readonly TargetHealthDescription[],
): TargetGroupHealth {
  const states: Record<string, number> = {}
  const entries = targets.map((h): TargetEntry => {
    const state = h.TargetHealth?.State ?? 'unknown'
    states[state] = (states[state] ?? 0) + 1
    const reason = h.TargetHealth?.Reason ?? ''
    const description = h.TargetHealth?.Description
    return {
      Id: h.Target?.Id ?? '',
      Port: h.Target?.Port === undefined ? '' : String(h.Target.Port),
      State: state,
      Reason: [reason, description ? `(${description})` : ''].filter(Boolean).join(' '),
    }
  })
  return { TargetGroupArn: arn, ContainerName: containerName, ContainerPort: containerPort ?? null, States: states, Targets: entries }
}

/** The most frequent stop reason; among equals, the one of the latest stop. */
function topReason(stopped: readonly Task[]): string | null {
  const counts = new Map<string, { n: number; last: number }>()
  for (const t of stopped) {
    const reason = t.stoppedReason || t.stopCode || 'unknown'
    const at = t.stoppedAt?.getTime() ?? 0
    const c = counts.get(reason) ?? { n: 0, last: 0 }
    counts.set(reason, { n: c.n + 1, last: Math.max(c.last, at) })
  }
  let best: [string, { n: number; last: number }] | undefined
  for (const entry of counts) {
    if (!best || entry[1].n > best[1].n || (entry[1].n === best[1].n && entry[1].last > best[1].last)) best = entry
  }
  return best?.[0] ?? null
}

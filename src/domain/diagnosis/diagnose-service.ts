import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import { fieldError, NotFoundError } from '../../core/errors.js'
import { parseDurationMs } from '../../core/time-range.js'
import type { LogsContext } from '../logs/context.js'
import { isServiceTask, stoppedAtOf, TaskDefinitions } from '../logs/service-tasks.js'
import { taskIdOf, taskStreams } from '../../core/logs/task-streams.js'
import { findOrgService } from '../services/find-service.js'
import { classifyStoppedTask, type Classified } from '../../core/diagnosis/classify-failure.js'
import { describedDeployment, type DeploymentSource, type DeploymentView } from '../../core/diagnosis/current-deployment.js'
import { FAILURE_KINDS, type FailureKind } from '../../core/diagnosis/failure-kinds.js'
import { foldEvents, type FoldedEvent } from '../../core/diagnosis/fold-events.js'

/**
 * GET .../services/{service}/diagnosis: what is wrong with a service and what to do. Everything is
 * read in at most four rounds of AWS calls, each round's calls side by side:
 *   1. the service (DescribeServices) and its stopped tasks (ListTasks, read only once the service
 *      proved to be the org's);
 *   2. the stopped tasks (DescribeTasks) and the task definitions of the service's deployments;
 *   3. task definitions of failed tasks that no deployment runs any more (only when there are such);
 *   4. the last log lines of each distinct failure's container (GetLogEvents).
 */

export const DEFAULT_WINDOW = '1h'
/** Log lines shown per distinct failure. */
const TAIL_LINES = 50

interface StoppedTaskJson {
  TaskId: string
  TaskDefinition: string | null
  StoppedAt: string | null
  StopCode: string | null
  StoppedReason: string | null
  Containers: { Name: string | null; ExitCode: number | null; Reason: string | null; LastStatus: string | null }[]
  /** The failure kind, or null for a stop on purpose (user, deployment, scale-in). */
  Failure: FailureKind | null
}

interface FailureJson {
  Kind: FailureKind
  Title: string
  Explanation: string
  NextStep: string
  Container: string | null
  ExitCode: number | null
  Count: number
  Tasks: string[]
  LatestTask: string | null
  LatestAt: string | null
  /** ECS's own words for the most recent occurrence. */
  Detail: string
  /** The last lines of the failing container of the most recent such task, oldest first. */
  LogLines: { Timestamp: string; Message: string }[]
  /** Why there are no log lines, when there are none. */
  LogsNote: string | null
}

export interface DiagnosisJson {
  ServiceName: string
  Cluster: string
  Window: string
  Since: string
  Healthy: boolean
  Summary: string
  Service: { Status: string | null; DesiredCount: number; RunningCount: number; PendingCount: number; TaskDefinition: string | null }
  Deployment: DeploymentView | null
  CircuitBreaker: { Enabled: boolean; Rollback: boolean; Threshold: number; FailedTasks: number; State: 'disabled' | 'monitoring' | 'triggered' }
  Events: FoldedEvent[]
  StoppedTasks: StoppedTaskJson[]
  Failures: FailureJson[]
}

function parseWindow(raw: string | undefined): { text: string; ms: number } {
  const text = (raw ?? '').trim() || DEFAULT_WINDOW
  const ms = parseDurationMs(text)
  if (ms === undefined || ms <= 0) throw fieldError('window', `window must be a duration such as 30m, 1h or 2h, not ${JSON.stringify(raw)}`)
  return { text, ms }
}

const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null)

/**
 * ECS's circuit breaker stops a deployment after half its desired count of failed tasks, at least 3
 * and at most 200 (as AWS documents it).
 */
function circuitBreaker(service: Service, deployment: DeploymentView | null): DiagnosisJson['CircuitBreaker'] {
  const cb = service.deploymentConfiguration?.deploymentCircuitBreaker
  const enabled = cb?.enable === true
  const threshold = Math.min(200, Math.max(3, Math.ceil((service.desiredCount ?? 0) / 2)))
  const failed = deployment?.FailedTasks ?? 0
  const tripped = enabled && (deployment?.RolloutState === 'FAILED' || failed >= threshold)
  return { Enabled: enabled, Rollback: cb?.rollback === true, Threshold: threshold, FailedTasks: failed, State: !enabled ? 'disabled' : tripped ? 'triggered' : 'monitoring' }
}

function stoppedTaskJson(task: Task, failure: Classified | undefined): StoppedTaskJson {
  return {
    TaskId: taskIdOf(task),
    TaskDefinition: task.taskDefinitionArn ?? null,
    StoppedAt: iso(stoppedAtOf(task)),
    StopCode: task.stopCode ?? null,
    StoppedReason: task.stoppedReason || null,
    Containers: (task.containers ?? []).map((c) => ({
      Name: c.name ?? null,
      ExitCode: c.exitCode ?? null,
      Reason: c.reason ?? null,
      LastStatus: c.lastStatus ?? null,
    })),
    Failure: failure?.kind ?? null,
  }
}

export async function diagnoseService(
  ctx: LogsContext,
  cluster: string,
  name: string,
  query: { window?: string | undefined },
  deployments: DeploymentSource = describedDeployment,
): Promise<DiagnosisJson> {
  const window = parseWindow(query.window)
  const since = Date.now() - window.ms

  // Round 1. ListTasks needs nothing from the service, so it runs alongside the org check; its answer
  // is read only once that check passed (a failure of both reports the service's).
  const serviceName = name.slice(name.lastIndexOf('/') + 1)
  const stoppedArns = ctx.ecs.listTaskArns({ cluster, serviceName, desiredStatus: 'STOPPED' })
  stoppedArns.catch(() => undefined)
  const service = await findOrgService(ctx, cluster, name)
  const deployment = await deployments.current(service)

  // Round 2: the stopped tasks, and (speculatively) the revisions the deployments run, which most
  // failed tasks ran too.
  const definitions = new TaskDefinitions(ctx)
  // A revision ECS no longer describes only costs the failure its log lines.
  const describe = (arn: string): Promise<TaskDefinition | undefined> => definitions.describe(arn).catch(() => undefined)
  for (const arn of [service.taskDefinition, ...(service.deployments ?? []).map((d) => d.taskDefinition)]) if (arn) void describe(arn)
  const { tasks } = await ctx.ecs.describeTasks(cluster, await stoppedArns)
  const stopped = tasks
    .filter((t) => isServiceTask(t, service) && (stoppedAtOf(t) === 0 || stoppedAtOf(t) >= since))
    .sort((a, b) => stoppedAtOf(b) - stoppedAtOf(a))

  // Round 3 (only for revisions no deployment runs): each failed task's task definition.
  const failedTasks = stopped.map((task) => ({ task, failure: undefined as Classified | undefined }))
  await Promise.all(
    failedTasks.map(async (entry) => {
      const td = entry.task.taskDefinitionArn ? await describe(entry.task.taskDefinitionArn) : undefined
      entry.failure = classifyStoppedTask(entry.task, td)
    }),
  )

  // Distinct failures: one kind in one container (and one exit code), newest task first.
  const groups = new Map<string, { failure: Classified; tasks: Task[] }>()
  for (const { task, failure } of failedTasks) {
    if (!failure) continue
    const key = `${failure.kind}\0${failure.container ?? ''}\0${failure.kind === 'essential-container-exited' ? String(failure.exitCode) : ''}`
    const group = groups.get(key)
    if (group) group.tasks.push(task)
    else groups.set(key, { failure, tasks: [task] })
  }

  // Round 4: the last lines of each distinct failure's container in its most recent task.
  const failures = await Promise.all(
    [...groups.values()].map(async ({ failure, tasks: group }): Promise<FailureJson> => {
      const latest = group[0]!
      const about = FAILURE_KINDS[failure.kind]
      const tail = await lastLines(ctx, latest, failure.container, latest.taskDefinitionArn ? await describe(latest.taskDefinitionArn) : undefined)
      return {
        Kind: failure.kind,
        Title: failure.kind === 'essential-container-exited' && failure.exitCode !== undefined ? `${about.title} (exit ${failure.exitCode})` : about.title,
        Explanation: about.explanation,
        NextStep: about.nextStep,
        Container: failure.container ?? null,
        ExitCode: failure.exitCode ?? null,
        Count: group.length,
        Tasks: group.map(taskIdOf),
        LatestTask: taskIdOf(latest),
        LatestAt: iso(stoppedAtOf(latest)),
        Detail: failure.detail,
        ...tail,
      }
    }),
  )

  const events = foldEvents(service.events ?? [], since)
  // Placement failures show in the events only (no task was ever made).
  const placement = events.find((e) => /unable to place a task/i.test(e.Message))
  if (placement && !failures.some((f) => f.Kind === 'capacity-unavailable')) {
    const about = FAILURE_KINDS['capacity-unavailable']
    failures.push({
      Kind: 'capacity-unavailable', Title: about.title, Explanation: about.explanation, NextStep: about.nextStep,
      Container: null, ExitCode: null, Count: placement.Count, Tasks: [], LatestTask: null, LatestAt: placement.LastAt,
      Detail: placement.Message, LogLines: [], LogsNote: 'no task was placed, so there are no logs',
    })
  }

  const counts = { desired: service.desiredCount ?? 0, running: service.runningCount ?? 0, pending: service.pendingCount ?? 0 }
  const breaker = circuitBreaker(service, deployment)
  // A tracked deployment that FAILED (its deadline passed, or its tasks failed) counts like a failed rollout.
  const rolloutFailed = deployment?.RolloutState === 'FAILED' || deployment?.Outcome === 'FAILED'
  const healthy = counts.running >= counts.desired && failures.length === 0 && !rolloutFailed
  return {
    ServiceName: service.serviceName ?? name,
    Cluster: cluster,
    Window: window.text,
    Since: new Date(since).toISOString(),
    Healthy: healthy,
    Summary: summary(counts, failures, window.text, deployment, breaker.State),
    Service: {
      Status: service.status ?? null,
      DesiredCount: counts.desired,
      RunningCount: counts.running,
      PendingCount: counts.pending,
      TaskDefinition: service.taskDefinition ?? null,
    },
    Deployment: deployment,
    CircuitBreaker: breaker,
    Events: events,
    StoppedTasks: failedTasks.map(({ task, failure }) => stoppedTaskJson(task, failure)),
    Failures: failures,
  }
}

async function lastLines(
  ctx: LogsContext,
  task: Task,
  container: string | undefined,
  td: TaskDefinition | undefined,
): Promise<Pick<FailureJson, 'LogLines' | 'LogsNote'>> {
  if (!container || !td) return { LogLines: [], LogsNote: 'the task definition of the task is no longer known' }
  const [stream] = taskStreams(task, td, container)
  if (!stream) return { LogLines: [], LogsNote: `container ${container} does not log to CloudWatch Logs (awslogs)` }
  try {
    const page = await ctx.logs.page({ group: stream.group, stream: stream.stream, limit: TAIL_LINES })
    const lines = (page.events ?? []).map((e) => ({ Timestamp: new Date(e.timestamp ?? 0).toISOString(), Message: e.message ?? '' }))
    return { LogLines: lines, LogsNote: lines.length ? null : 'the container wrote no log lines' }
  } catch (err) {
    if (err instanceof NotFoundError) return { LogLines: [], LogsNote: `no log stream ${stream.stream} in ${stream.group}` }
    throw err
  }
}

function summary(
  counts: { desired: number; running: number; pending: number },
  failures: readonly FailureJson[],
  window: string,
  deployment: DeploymentView | null,
  breaker: string,
): string {
  const parts = [`${counts.running} of ${counts.desired} tasks running${counts.pending ? `, ${counts.pending} pending` : ''}`]
  if (deployment?.RolloutState && deployment.RolloutState !== 'COMPLETED') parts.push(`deployment ${deployment.RolloutState.toLowerCase().replace('_', ' ')}`)
  if (deployment?.Outcome && deployment.Outcome !== 'SUCCEEDED' && deployment.Outcome !== 'IN_PROGRESS') {
    parts.push(`${deployment.Kind ?? 'last'} deployment ${deployment.Outcome.toLowerCase().replace('_', ' ')}${deployment.Reason ? `: ${deployment.Reason}` : ''}`)
  }
  if (breaker === 'triggered') parts.push('circuit breaker triggered')
  if (failures.length) {
    parts.push(`failures in the last ${window}: ${failures.map((f) => `${f.Title.toLowerCase()} x${f.Count}`).join(', ')}`)
  } else {
    parts.push(`no failed task in the last ${window}`)
  }
  return parts.join('; ')
}

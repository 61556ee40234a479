import type { JsonValue } from '../../codec/index.js'
import type { OperationRecord } from '../../operations/index.js'
import { initialProgress } from './track-operation.js'
import type { EcsDeploymentEntry } from '../../core/deployments/ecs-history.js'
import { DEPLOYMENT_KIND, TRACK_STEP, type DeploymentInput, type DeploymentProgress, type TimelineEntry, revisionOf } from '../../core/deployments/model.js'

type JsonObject = { [key: string]: JsonValue }

/** A deployment read back from its operation record. */
export interface Deployment {
  id: string
  account: string
  input: DeploymentInput
  progress: DeploymentProgress
  /** The tracker itself failed (not the deployment): its error. */
  trackingError?: string
}

export function isDeploymentRecord(record: OperationRecord): boolean {
  return record.kind === DEPLOYMENT_KIND
}

export function deploymentOf(record: OperationRecord): Deployment {
  const step = record.steps.find((s) => s.id === TRACK_STEP)
  const progress = (step?.output ?? step?.progress ?? initialProgress()) as DeploymentProgress
  return {
    id: record.id,
    account: record.account,
    input: record.input as DeploymentInput,
    progress,
    ...(record.status === 'failed' && record.error ? { trackingError: record.error.message } : {}),
  }
}

/** The tracker is done with it: an outcome, or the tracker failed. */
export function isSettled(d: Deployment): boolean {
  return d.progress.outcome !== 'IN_PROGRESS' || d.trackingError !== undefined
}

const present = (entries: Record<string, JsonValue | undefined>): JsonObject =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as JsonObject

export function timelineEntryJson(e: TimelineEntry): JsonObject {
  const base = { Seq: e.seq, At: e.at, Type: e.type }
  switch (e.type) {
    case 'deployment':
      return present({
        ...base,
        Outcome: e.outcome,
        RolloutState: e.rolloutState,
        Reason: e.reason,
        DesiredCount: e.counts.desired,
        RunningCount: e.counts.running,
        PendingCount: e.counts.pending,
        FailedCount: e.counts.failed,
      })
    case 'service-event':
      return { ...base, EventId: e.id, Message: e.message }
    case 'task-stopped':
      return {
        ...base,
        Task: present({
          TaskArn: e.task.taskArn,
          StopCode: e.task.stopCode,
          StoppedReason: e.task.stoppedReason,
          StoppedAt: e.task.stoppedAt,
          Containers: e.task.containers.map((c) =>
            present({ Name: c.name, ExitCode: c.exitCode, Reason: c.reason, Image: c.image, ImageDigest: c.imageDigest }),
          ),
        }),
      }
  }
}

/**
 * The wire form (PascalCase); with the timeline for the single-deployment answer, and with ECS's own
 * ARN of it when the history found it in ECS's list.
 */
export function deploymentJson(d: Deployment, options: { timeline?: boolean; ecsArn?: string | undefined } = {}): JsonObject {
  const { input, progress } = d
  const counts = progress.counts ?? { desired: input.desiredCount, running: 0, pending: 0, failed: 0 }
  return present({
    Id: d.id,
    Kind: input.kind,
    Outcome: progress.outcome,
    Reason: progress.reason ?? null,
    Cluster: input.cluster,
    ServiceName: input.service,
    TaskDefinition: input.taskDefinition,
    Revision: input.revision,
    Images: input.images.map((i) => ({ Container: i.container, Image: i.image })),
    ImageDigests: (progress.digests ?? []).map((i) => ({ Container: i.container, Image: i.image, Digest: i.digest })),
    ImageDrift: progress.imageDrift?.map((i) => ({ Container: i.container, Image: i.image, RunningDigest: i.runningDigest, TagDigest: i.tagDigest })),
    RolloutState: progress.rolloutState,
    DesiredCount: counts.desired,
    RunningCount: counts.running,
    PendingCount: counts.pending,
    FailedCount: counts.failed,
    StartedAt: input.startedAt,
    FinishedAt: progress.finishedAt ?? null,
    Deadline: input.deadlineAt,
    RequestId: input.requestId ?? null,
    TokenId: input.tokenId ?? null,
    Aborts: input.aborts,
    TrackingError: d.trackingError,
    EcsDeploymentArn: options.ecsArn,
    Timeline: options.timeline ? progress.timeline.map(timelineEntryJson) : undefined,
  })
}

/** Where a deployment is read: `/v1/ecs/{account}/clusters/{cluster}/services/{service}/deployments/{id}`. */
export function deploymentLocation(d: Pick<Deployment, 'id' | 'account' | 'input'>): string {
  const e = encodeURIComponent
  return `/v1/ecs/${e(d.account)}/clusters/${e(d.input.cluster)}/services/${e(d.input.service)}/deployments/${d.id}`
}

/**
 * A deployment ECS lists that the API did not make (the console, infrastructure code): in the history
 * beside the API's, kind `external`, its id ECS's ARN. It is listed, not tracked: no counts, deadline,
 * request or token, and no single-deployment answer.
 */
export function externalDeploymentJson(e: EcsDeploymentEntry, cluster: string, service: string): JsonObject {
  return present({
    Id: e.arn,
    Kind: 'external',
    Outcome: e.outcome,
    Reason: e.reason ?? null,
    Cluster: cluster,
    ServiceName: service,
    TaskDefinition: e.taskDefinition,
    Revision: e.taskDefinition ? revisionOf(e.taskDefinition) : undefined,
    Images: e.images.map((i) => ({ Container: i.container, Image: i.image })),
    ImageDigests: e.images.flatMap((i) => (i.digest ? [{ Container: i.container, Image: i.image, Digest: i.digest }] : [])),
    EcsStatus: e.status,
    StartedAt: e.startedAt,
    FinishedAt: e.finishedAt ?? null,
    RequestId: null,
    TokenId: null,
    EcsDeploymentArn: e.arn,
  })
}

import { ecsApi } from '../../aws/ecs.js'
import { ecsServices } from '../../aws/ecs-services.js'
import { NotFoundError } from '../../core/errors.js'
import { pause, pollWithBackoff } from '../../core/poll.js'
import { deploymentMetrics } from '../../observability/metrics.js'
import {
  defineOperationKind,
  OperationPausedError,
  targetPath,
  type OperationContext,
  type OperationRecord,
} from '../../operations/index.js'
import { imageDrift } from '../../workflows/deployments/image-drift.js'
import { DEPLOYMENT_KIND, TRACK_STEP, isEnded, type DeploymentInput, type DeploymentProgress, type Outcome } from '../../core/deployments/model.js'
import { appendEntries, runningDigests, trackRound, type RoundAdapters } from '../../workflows/deployments/track-round.js'

/**
 * The deployment tracker: the one step of a `service.deployment` operation. It follows the service
 * until the deployment has an outcome, saving its progress after every look, so a restarted process
 * (or another replica) carries on where it was. One tracker per service looks at a time (a lease);
 * a newer deployment of the service ends an older one's tracking.
 */

/** How often a tracker checks whether shutdown began, so it gives way promptly. */
const STOP_CHECK_MS = 100
/** Newer deployments of the service looked at per round. */
const RELATED_LIMIT = 20

export function trackerLeaseKey(account: string, input: Pick<DeploymentInput, 'cluster' | 'service'>): string {
  return `deployment-tracker:${account}:${input.cluster}:${input.service}`
}

export function initialProgress(): DeploymentProgress {
  return { outcome: 'IN_PROGRESS', timeline: [] }
}

/** A newer deployment of the same service: an abort of this one, or one that replaces it. */
async function supersededBy(ctx: OperationContext<DeploymentInput>): Promise<{ outcome: Outcome; reason: string } | undefined> {
  const records: readonly OperationRecord[] = await ctx.related(targetPath({ cluster: ctx.input.cluster, service: ctx.input.service }), RELATED_LIMIT)
  // Ids are time-ordered: a greater id started later.
  const newer = records.filter((r) => r.kind === DEPLOYMENT_KIND && r.id > ctx.operationId)
  const abort = newer.find((r) => (r.input as DeploymentInput).aborts === ctx.operationId)
  if (abort) return { outcome: 'ABORTED', reason: `aborted by deployment ${abort.id}` }
  const next = newer.at(-1)
  if (next) return { outcome: 'ABORTED', reason: `superseded by deployment ${next.id} (${(next.input as DeploymentInput).kind})` }
  return undefined
}

function end(progress: DeploymentProgress, outcome: Outcome, reason: string | undefined): DeploymentProgress {
  const finishedAt = new Date().toISOString()
  const ended: DeploymentProgress = { ...progress, outcome, finishedAt, ...(reason !== undefined ? { reason } : {}) }
  const last = progress.timeline.at(-1)
  if (!(last?.type === 'deployment' && last.outcome === outcome)) {
    appendEntries(ended, [
      { at: finishedAt, type: 'deployment', outcome, counts: progress.counts ?? { desired: 0, running: 0, pending: 0, failed: 0 }, ...(reason !== undefined ? { reason } : {}) },
    ])
  }
  return ended
}

async function onSuccess(ctx: OperationContext<DeploymentInput>, adapters: RoundAdapters, progress: DeploymentProgress): Promise<DeploymentProgress> {
  // Digests and drift are extras: a failure to read them must not turn a success into an error.
  try {
    const digests = await runningDigests(adapters, ctx.input)
    const drift = await imageDrift(digests, ctx.log, ctx.input.registry)
    return { ...progress, digests, ...(drift.length > 0 ? { imageDrift: drift } : {}) }
  } catch (err) {
    ctx.log.warn({ err: { message: (err as Error).message } }, 'could not read the image digests of the running tasks')
    return progress
  }
}

/**
 * One look; a service or cluster that is gone ends the deployment FAILED, any other error (a
 * throttled or unreachable ECS) is logged and the next round tries again.
 */
async function lookSafely(ctx: OperationContext<DeploymentInput>, adapters: RoundAdapters, progress: DeploymentProgress) {
  try {
    return await trackRound(adapters, ctx.input, progress)
  } catch (err) {
    if (err instanceof NotFoundError) {
      return { progress: { ...progress, outcome: 'FAILED' as const, reason: `the service is gone: ${err.message}` }, changed: true }
    }
    ctx.log.warn({ err: { message: (err as Error).message } }, 'deployment tracker could not look at the service; it tries again')
    return undefined
  }
}

function report(ctx: OperationContext<DeploymentInput>, progress: DeploymentProgress): void {
  const { input } = ctx
  const seconds = (Date.parse(progress.finishedAt ?? new Date().toISOString()) - Date.parse(input.startedAt)) / 1000
  if (ctx.metrics) {
    const metrics = deploymentMetrics(ctx.metrics)
    metrics.finished.inc({ outcome: progress.outcome })
    metrics.duration.observe({ outcome: progress.outcome }, Math.max(0, seconds))
  }
  const line = {
    deploymentId: ctx.operationId,
    account: ctx.account.name,
    cluster: input.cluster,
    service: input.service,
    kind: input.kind,
    revision: input.revision,
    outcome: progress.outcome,
    reason: progress.reason,
    durationSeconds: seconds,
    requestId: input.requestId,
  }
  if (progress.outcome === 'SUCCEEDED') ctx.log.info(line, 'deployment ended')
  else ctx.log.warn(line, 'deployment ended')
}

async function track(ctx: OperationContext<DeploymentInput>): Promise<DeploymentProgress> {
  const { input } = ctx
  let progress = (ctx.progress as DeploymentProgress | undefined) ?? initialProgress()
  if (isEnded(progress.outcome)) return progress

  const stop = new AbortController()
  const watch = setInterval(() => {
    if (ctx.stopping() || ctx.signal.aborted) stop.abort()
  }, STOP_CHECK_MS)
  watch.unref()
  const adapters: RoundAdapters = { services: ecsServices(ctx.account.clients.ecs), ecs: ecsApi(ctx.account.clients.ecs) }
  const remainingMs = Math.max(0, Date.parse(input.deadlineAt) - Date.now())
  let confirming: Outcome | undefined
  try {
    await ctx.leases.hold(
      trackerLeaseKey(ctx.account.name, input),
      `tracking of service ${input.service}`,
      async () => {
        // ECS needs a moment before a change shows; the first look waits one short delay.
        await pause(input.pollMinMs, stop.signal)
        await pollWithBackoff(
          async () => {
            const replaced = await supersededBy(ctx)
            if (replaced) {
              progress = end(progress, replaced.outcome, replaced.reason)
            } else if (Date.now() > Date.parse(input.deadlineAt)) {
              progress = end(progress, 'FAILED', `the deadline passed: no outcome ${Math.round((Date.parse(input.deadlineAt) - Date.parse(input.startedAt)) / 1000)} s after it started`)
            } else {
              const round = await lookSafely(ctx, adapters, progress)
              if (!round) return 'idle'
              // An outcome counts once two looks in a row show it: a rollback or abort through this
              // API changes the service a moment before its own deployment is recorded, and the
              // next round's check above sees that record first.
              if (isEnded(round.progress.outcome) && confirming !== round.progress.outcome) {
                confirming = round.progress.outcome
                return 'progress'
              }
              progress = round.progress
              if (isEnded(progress.outcome)) {
                if (progress.outcome === 'SUCCEEDED') progress = await onSuccess(ctx, adapters, progress)
                progress = end(progress, progress.outcome, progress.reason)
              } else if (!round.changed) {
                return 'idle'
              }
            }
            await ctx.saveProgress(progress)
            return isEnded(progress.outcome) ? 'done' : 'progress'
          },
          { minMs: input.pollMinMs, maxMs: input.pollMaxMs, signal: stop.signal },
        )
      },
      // Waits for the service's other tracker to see that this deployment replaced its own.
      { waitMs: remainingMs + input.pollMaxMs * 2, signal: stop.signal, owner: ctx.operationId },
    )
  } catch (err) {
    if (stop.signal.aborted) throw new OperationPausedError()
    throw err
  } finally {
    clearInterval(watch)
  }
  if (!isEnded(progress.outcome)) throw new OperationPausedError()
  report(ctx, progress)
  return progress
}

export const deploymentKind = defineOperationKind<DeploymentInput>({
  name: DEPLOYMENT_KIND,
  // A tracker mostly sleeps between looks: it must not hold a slot deletes and cleanups need.
  waits: true,
  steps: () => [{ id: TRACK_STEP, run: track }],
  // The audit record of a deployment's end names its outcome, not just that the tracking ended.
  result: (record) => {
    const step = record.steps.find((s) => s.id === TRACK_STEP)
    const outcome = ((step?.output ?? step?.progress) as DeploymentProgress | undefined)?.outcome
    // A tracker that failed before an outcome says nothing more than the operation's own failure.
    return outcome !== undefined && isEnded(outcome) ? outcome : undefined
  },
})

import type { ServiceDeploymentBrief, ServiceRevision } from '@aws-sdk/client-ecs'
import type { Outcome } from './model.js'

/**
 * ECS's own list of a service's deployments beside the API's: which of ECS's entries are deployments
 * the API tracked (listed once, as the API's), and what the others (made in the console, by
 * infrastructure code, by ECS itself) look like in the same history.
 */

/** One of ECS's deployments as the history shows it. */
export interface EcsDeploymentEntry {
  arn: string
  outcome: Outcome
  /** ECS's status as it gave it (SUCCESSFUL, ROLLBACK_SUCCESSFUL, ...). */
  status: string
  reason: string | undefined
  startedAt: string
  finishedAt: string | undefined
  /** The task definition its revision rolls out, when ECS described the revision. */
  taskDefinition: string | undefined
  images: { container: string; image: string; digest: string | undefined }[]
}

/** A deployment of the API's own, as the matching needs it. */
export interface TrackedStart {
  id: string
  startedAt: string
  taskDefinition: string
}

/**
 * How far apart ECS's creation time and the API's record may be and still be one deployment: the API
 * records a deployment right after ECS accepted the change, so seconds apart; two minutes allow for a
 * slow answer, and the revision must agree as well when ECS gave it.
 */
export const MATCH_WINDOW_MS = 120_000

/** ECS's status in the API's outcomes: a rollback is a failure (ROLLED_BACK), a stop an abort. */
export function outcomeOfEcsStatus(status: string | undefined): Outcome {
  switch (status) {
    case 'SUCCESSFUL':
      return 'SUCCEEDED'
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
      return 'ROLLED_BACK'
    case 'STOPPED':
      return 'ABORTED'
    default:
      // PENDING, IN_PROGRESS, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, STOP_REQUESTED: not over yet.
      return 'IN_PROGRESS'
  }
}

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined)

/** ECS's entries in the history's terms; an entry without ARN or time is left out. */
export function ecsEntries(briefs: readonly ServiceDeploymentBrief[], revisions: ReadonlyMap<string, ServiceRevision>): EcsDeploymentEntry[] {
  return briefs.flatMap((b) => {
    const startedAt = iso(b.startedAt ?? b.createdAt)
    if (!b.serviceDeploymentArn || !startedAt) return []
    const revision = b.targetServiceRevisionArn ? revisions.get(b.targetServiceRevisionArn) : undefined
    return [
      {
        arn: b.serviceDeploymentArn,
        outcome: outcomeOfEcsStatus(b.status),
        status: b.status ?? 'UNKNOWN',
        reason: b.statusReason,
        startedAt,
        finishedAt: iso(b.finishedAt),
        taskDefinition: revision?.taskDefinition,
        images: (revision?.containerImages ?? []).map((c) => ({ container: c.containerName ?? '', image: c.image ?? '', digest: c.imageDigest })),
      },
    ]
  })
}

/**
 * Pairs ECS's entries with the API's deployments: an entry is the API's when one of its deployments
 * started within `MATCH_WINDOW_MS` of it on the same revision (when ECS named one), the closest
 * first, each at most once. Answers the pairs (API id to ECS ARN) and the entries left over.
 */
export function matchEcsDeployments(
  ours: readonly TrackedStart[],
  entries: readonly EcsDeploymentEntry[],
): { matched: Map<string, string>; external: EcsDeploymentEntry[] } {
  const pairs: { id: string; arn: string; gap: number }[] = []
  for (const entry of entries) {
    const at = Date.parse(entry.startedAt)
    for (const d of ours) {
      const gap = Math.abs(Date.parse(d.startedAt) - at)
      const sameRevision = entry.taskDefinition === undefined || entry.taskDefinition === d.taskDefinition
      if (gap <= MATCH_WINDOW_MS && sameRevision) pairs.push({ id: d.id, arn: entry.arn, gap })
    }
  }
  pairs.sort((a, b) => a.gap - b.gap)
  const matched = new Map<string, string>()
  const taken = new Set<string>()
  for (const p of pairs) {
    if (matched.has(p.id) || taken.has(p.arn)) continue
    matched.set(p.id, p.arn)
    taken.add(p.arn)
  }
  return { matched, external: entries.filter((e) => !taken.has(e.arn)) }
}

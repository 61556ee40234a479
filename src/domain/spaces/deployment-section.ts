import type { JsonValue } from '../../codec/index.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { recentDeployments } from '../deployments/read-deployments.js'
import type { Deployment } from '../deployments/view.js'
import type { SpaceFacts, SpaceSection, SpaceSectionParts } from './summary-sections.js'

/**
 * Deployments looked at per service: the latest, and enough before it to find the last one that
 * ended while the latest still runs (an abort runs beside the deployment it stops).
 */
const RECENT = 5
/** Store reads in flight at once: the store is local (SQLite) or one Redis, not an AWS API. */
const STORE_FAN_OUT = 10

/**
 * `Deployment` of each service the API has deployed: its current (latest) tracked deployment and the
 * outcome of the last one that ended. Read from the operations store only, no AWS call, so the
 * section adds nothing to the summary's critical path. A service the API never deployed has none.
 */
export const deploymentSection: SpaceSection = {
  key: 'Deployment',
  async build({ ctx, cluster, services }: SpaceFacts): Promise<SpaceSectionParts> {
    const clusterName = cluster.clusterName ?? ''
    const names = services.map((s) => s.serviceName ?? '').filter((n) => n !== '')
    if (!ctx.operations || names.length === 0) return {}
    const recent = await mapWithConcurrency(names, (name) => recentDeployments(ctx, clusterName, name, RECENT), STORE_FAN_OUT)
    const parts = new Map<string, JsonValue>()
    names.forEach((name, i) => {
      const entry = entryOf(recent[i] ?? [])
      if (entry) parts.set(name, entry)
    })
    return { services: parts }
  },
}

function entryOf(deployments: readonly Deployment[]): JsonValue | undefined {
  const [latest] = deployments
  if (!latest) return undefined
  const lastEnded = deployments.find((d) => d.progress.outcome !== 'IN_PROGRESS')
  return {
    Id: latest.id,
    Kind: latest.input.kind,
    Outcome: latest.progress.outcome,
    StartedAt: latest.input.startedAt,
    FinishedAt: latest.progress.finishedAt ?? null,
    LastOutcome: lastEnded?.progress.outcome ?? null,
  }
}

import { requireOrgCluster } from '../../core/clusters.js'
import { NotFoundError } from '../../core/errors.js'
import { pollWithBackoff } from '../../core/poll.js'
import { targetPath } from '../../operations/index.js'
import type { UseCaseContext } from '../use-case-context.js'
import { ecsEntries, matchEcsDeployments } from '../../core/deployments/ecs-history.js'
import type { JsonValue } from '../../codec/index.js'
import type { DeploymentContext } from './context.js'
import { deploymentJson, deploymentOf, externalDeploymentJson, isDeploymentRecord, isSettled, type Deployment } from './view.js'

/** Records looked at per listing: deployments are most of a service's operations. */
const LIST_WINDOW = 200
/** Deployments a listing answers at most, newest first. */
export const LIST_LIMIT = 50

/** `api` of `api` or of `arn:aws:ecs:...:service/cluster/api`. */
export function serviceNameOf(ref: string): string {
  return ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref
}

/** The deployments of one service from the store, newest first. */
export async function serviceDeployments(ctx: UseCaseContext, cluster: string, service: string, limit = LIST_LIMIT): Promise<Deployment[]> {
  if (!ctx.operations) return []
  const name = serviceNameOf(service)
  const page = await ctx.operations.list(ctx.account.name, { targetPath: targetPath({ cluster, service: name }), limit: LIST_WINDOW })
  const ids = page.operations.filter((op) => op.kind === 'service.deployment').map((op) => op.id)
  const records = await ctx.operations.records(ids)
  return records
    .filter(isDeploymentRecord)
    .map(deploymentOf)
    .filter((d) => d.input.cluster === cluster && d.input.service === name)
    .sort((a, b) => (a.id < b.id ? 1 : -1))
    .slice(0, limit)
}

/**
 * The service's newest deployment, ended or not; undefined when none was recorded. For other use
 * cases (logs, diagnosis, the spaces view): no org check here, the caller has made its own.
 */
export async function currentDeployment(ctx: UseCaseContext, cluster: string, service: string): Promise<Deployment | undefined> {
  return (await serviceDeployments(ctx, cluster, service, 1))[0]
}

/**
 * The service's `count` newest deployments, newest first, reading only their records (the listing
 * is newest first): for views of many services at once, which need the latest few, not the history.
 */
export async function recentDeployments(ctx: UseCaseContext, cluster: string, service: string, count: number): Promise<Deployment[]> {
  if (!ctx.operations) return []
  const name = serviceNameOf(service)
  const page = await ctx.operations.list(ctx.account.name, { targetPath: targetPath({ cluster, service: name }), limit: LIST_WINDOW })
  const ids = page.operations.filter((op) => op.kind === 'service.deployment').map((op) => op.id).slice(0, count)
  const records = await ctx.operations.records(ids)
  return records
    .filter(isDeploymentRecord)
    .map(deploymentOf)
    .filter((d) => d.input.cluster === cluster && d.input.service === name)
    .sort((a, b) => (a.id < b.id ? 1 : -1))
}

/** The newest deployment of the service that SUCCEEDED, other than `except`. */
export async function lastSucceeded(ctx: UseCaseContext, cluster: string, service: string, except?: string): Promise<Deployment | undefined> {
  const all = await serviceDeployments(ctx, cluster, service)
  return all.find((d) => d.id !== except && d.progress.outcome === 'SUCCEEDED')
}

/** How many of ECS's own newest deployments the history asks for (ListServiceDeployments). */
const ECS_HISTORY = 20

/**
 * The listing route, newest first, at most `LIST_LIMIT`: the store's deployments and, where the
 * account's ECS offers ListServiceDeployments, its own newest ones beside them, answered once the
 * cluster proved the org's (another org's is a 404). ECS's entries of deployments the API made add their ARN to those;
 * the others are listed as `external`.
 */
export async function listDeployments(ctx: DeploymentContext, cluster: string, service: string): Promise<{ [key: string]: JsonValue }[]> {
  const name = serviceNameOf(service)
  // Reads only, started beside the org check; nothing is answered before the check passes.
  const reads = Promise.all([serviceDeployments(ctx, cluster, service), ctx.serviceDeployments.recent(cluster, name, ECS_HISTORY)])
  reads.catch(() => undefined)
  await requireOrgCluster(ctx.ecs, cluster, ctx.org)
  const [ours, ecs] = await reads
  if (!ecs) return ours.map((d) => deploymentJson(d))
  const { matched, external } = matchEcsDeployments(
    ours.map((d) => ({ id: d.id, startedAt: d.input.startedAt, taskDefinition: d.input.taskDefinition })),
    ecsEntries(ecs.deployments, ecs.revisions),
  )
  const listed = [
    ...ours.map((d) => ({ at: d.input.startedAt, json: deploymentJson(d, { ecsArn: matched.get(d.id) }) })),
    ...external.map((e) => ({ at: e.startedAt, json: externalDeploymentJson(e, cluster, name) })),
  ]
  return listed
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, LIST_LIMIT)
    .map((l) => l.json)
}

/** One deployment of the service; a 404 for an unknown id or one of another service, cluster or account. */
export async function findDeployment(ctx: UseCaseContext, cluster: string, service: string, id: string): Promise<Deployment> {
  const notFound = new NotFoundError(`deployment ${id} not found for service ${service} in cluster ${cluster}`)
  if (!ctx.operations || id.length > 64) throw notFound
  const [record] = await ctx.operations.records([id])
  if (!record || record.account !== ctx.account.name || !isDeploymentRecord(record)) throw notFound
  const d = deploymentOf(record)
  if (d.input.cluster !== cluster || d.input.service !== serviceNameOf(service)) throw notFound
  return d
}

export async function showDeployment(ctx: DeploymentContext, cluster: string, service: string, id: string): Promise<Deployment> {
  await requireOrgCluster(ctx.ecs, cluster, ctx.org)
  return findDeployment(ctx, cluster, service, id)
}

/**
 * Follows a deployment in the store (never ECS: its tracker does that, once per round for every
 * watcher) until it is settled, `signal` aborts or `untilMs` passes; answers the last state seen.
 * `onChange` sees every new state.
 */
export async function followDeployment(
  ctx: UseCaseContext,
  first: Deployment,
  options: { untilMs?: number; signal?: AbortSignal; onChange?: (d: Deployment) => void } = {},
): Promise<Deployment> {
  let current = first
  let lastSeen = JSON.stringify(first.progress)
  const minMs = Math.min(first.input.pollMinMs, 250)
  const maxMs = Math.max(minMs, Math.min(first.input.pollMaxMs, 1_000))
  const done = new AbortController()
  const stopAt = options.untilMs
  let timer: NodeJS.Timeout | undefined
  if (stopAt !== undefined) timer = setTimeout(() => done.abort(), Math.max(0, stopAt - Date.now()))
  const signal = options.signal ? AbortSignal.any([options.signal, done.signal]) : done.signal
  try {
    await pollWithBackoff(
      async () => {
        if (isSettled(current)) return 'done'
        current = await findDeployment(ctx, first.input.cluster, first.input.service, first.id)
        const seen = JSON.stringify(current.progress)
        if (seen === lastSeen && !isSettled(current)) return 'idle'
        lastSeen = seen
        options.onChange?.(current)
        return isSettled(current) ? 'done' : 'progress'
      },
      { minMs, maxMs, signal },
    )
  } finally {
    clearTimeout(timer)
  }
  return current
}

import type { Cluster } from '@aws-sdk/client-ecs'
import type { LRUCache } from 'lru-cache'
import { NotFoundError } from './errors.js'
import { shortMemory } from './short-memory.js'
import { belongsToOrg } from './tags.js'

/**
 * Org rules for clusters (spaces). A cluster that does not carry the org's `spinup:org` tag does not
 * exist for this API: reads answer 404 and creates cannot adopt it.
 */

/** What the rules read a cluster with (the ECS adapter). */
export interface ClusterReader {
  describeCluster(name: string): Promise<Cluster | undefined>
}

/** Statuses of a cluster that exists and can hold tasks (PROVISIONING turns ACTIVE by itself). */
const LIVE = new Set(['ACTIVE', 'PROVISIONING'])

function notFound(name: string): NotFoundError {
  return new NotFoundError(`cluster ${name} not found`)
}

/**
 * The org's live cluster of that name, for a create that would otherwise make it: undefined when there
 * is none (missing or deleted), so the caller creates it. A live cluster of another org (or one not
 * managed by this API) is a 404: the name is taken and the cluster is not ours to use.
 */
export async function findReusableCluster(ecs: ClusterReader, name: string, org: string): Promise<Cluster | undefined> {
  const cluster = await ecs.describeCluster(name)
  if (!cluster || !LIVE.has(cluster.status ?? '')) return undefined
  if (!belongsToOrg(cluster.tags, org)) {
    throw new NotFoundError(`cluster ${name} not found in org ${org}, and the name is in use in this account`)
  }
  return cluster
}

/** The org's live cluster of that name; 404 when it is missing, deleted or not the org's. */
export async function requireOrgCluster(ecs: ClusterReader, name: string, org: string): Promise<Cluster> {
  const cluster = await ecs.describeCluster(name)
  if (!cluster || !LIVE.has(cluster.status ?? '') || !belongsToOrg(cluster.tags, org)) throw notFound(name)
  return cluster
}

/**
 * What this process recently saw of its org's clusters: "cluster X of this account was live and
 * tagged for org A" a short while ago (`ttlMs`, from the config), at most `max` clusters (least
 * recently used go first). One per account (`clusterOrgMemoryOf`), so apps, and accounts, never share it.
 *
 * Isolation: a remembered answer is never an answer on its own. Another replica (or anyone with the
 * account's keys) may have deleted cluster X and recreated it for org B since, and a cluster's ARN
 * is the same for every cluster of that name, so nothing here can tell the two apart. A use case
 * may skip the cluster's own DescribeClusters only when the data it fetches anyway confirms the
 * cluster is still the org's: an ACTIVE service tagged for the org in that cluster. ECS does not
 * delete a cluster that still has ACTIVE services, and this API creates a service only in a
 * cluster it has just checked (`findReusableCluster`, never remembered answers), so such a service
 * means the cluster has not been deleted since it was checked for the org. What the memory adds
 * is only that the check was made lately, so a cluster re-tagged for another org outside this API
 * (the one change a service does not reveal) is noticed within the TTL. Negative answers are never
 * remembered: a 404 is always asked again.
 */
export class ClusterOrgMemory {
  readonly #seen: LRUCache<string, string> | undefined

  /** `now`: the clock of the TTL, in ms (tests pass their own). */
  constructor(options: { ttlMs: number; max?: number; now?: () => number }) {
    const { ttlMs, max = 1_000, now } = options
    // A TTL of 0 turns the memory off: every check asks ECS.
    this.#seen = shortMemory<string>(ttlMs, max, now)
  }

  /** The cluster `cluster` (name or ARN) was seen live and the org's within the TTL. */
  recentlyOf(cluster: string, org: string): boolean {
    return this.#seen?.get(clusterNameOf(cluster)) === org
  }

  /** Remembers a cluster the org check has just passed (live, tagged for `org`). */
  remember(cluster: Cluster, org: string): void {
    if (!cluster.clusterName || !LIVE.has(cluster.status ?? '') || !belongsToOrg(cluster.tags, org)) return
    this.#seen?.set(cluster.clusterName, org)
  }

  /** Forgets the cluster: this process cleaned up its space, or found it was not the org's. */
  forget(cluster: string): void {
    this.#seen?.delete(clusterNameOf(cluster))
  }
}

/** `name` of `arn:aws:ecs:<region>:<account>:cluster/<name>`; a name as it is. */
function clusterNameOf(cluster: string): string {
  return cluster.startsWith('arn:') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster
}

const memories = new WeakMap<object, ClusterOrgMemory>()

/**
 * The cluster memory of one account (its `Account` object, so every app has its own): made on
 * first use with `ttlMs`; without `ttlMs`, only an existing one (for forgetting), or undefined.
 */
export function clusterOrgMemoryOf(account: object, ttlMs: number): ClusterOrgMemory
export function clusterOrgMemoryOf(account: object): ClusterOrgMemory | undefined
export function clusterOrgMemoryOf(account: object, ttlMs?: number): ClusterOrgMemory | undefined {
  let memory = memories.get(account)
  if (!memory && ttlMs !== undefined) {
    memory = new ClusterOrgMemory({ ttlMs })
    memories.set(account, memory)
  }
  return memory
}

import type { Cluster } from '@aws-sdk/client-ecs'
import { NotFoundError } from './errors.js'
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

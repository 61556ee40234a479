import type { Cluster, Service } from '@aws-sdk/client-ecs'
import { NotFoundError } from '../errors.js'
import { belongsToOrg } from '../tags.js'
import type { ServiceContext } from './context.js'

/**
 * Org-checked lookups. A service or cluster that does not carry our org's tag does not exist for
 * this API: the answer is the same 404 as for one that is really missing, so nothing leaks.
 */

/** The org's ACTIVE service `name` (name or ARN) in `cluster`, with its tags; otherwise a 404. */
export async function findOrgService(ctx: ServiceContext, cluster: string, name: string): Promise<Service> {
  const service = await ctx.services.describeActive(cluster, name)
  if (!service || !belongsToOrg(service.tags, ctx.org)) {
    throw new NotFoundError(`service ${name} not found in cluster ${cluster}`)
  }
  return service
}

/** The org's ACTIVE cluster `name`, with its tags; otherwise a 404. */
export async function findOrgCluster(ctx: ServiceContext, name: string): Promise<Cluster> {
  const cluster = await ctx.ecs.describeCluster(name)
  if (!cluster || !belongsToOrg(cluster.tags, ctx.org)) throw new NotFoundError(`cluster ${name} not found`)
  return cluster
}

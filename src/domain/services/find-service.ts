import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import { requireOrgCluster } from '../../core/clusters.js'
import { NotFoundError } from '../../core/errors.js'
import { belongsToOrg } from '../../core/tags.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef, type TaskDefinitionRef } from '../../core/task-definition-ref.js'
import type { ServiceContext } from './context.js'
import { fieldError } from './service-rules.js'

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

/** The org's live cluster `name`, with its tags; otherwise a 404. */
export async function findOrgCluster(ctx: ServiceContext, name: string): Promise<Cluster> {
  return requireOrgCluster(ctx.ecs, name, ctx.org)
}

/**
 * `findOrgCluster`, noting the answer in the account's cluster memory: a cluster that passes is
 * remembered as the org's, one that does not is forgotten.
 */
export async function checkOrgCluster(ctx: ServiceContext, name: string): Promise<Cluster> {
  try {
    const cluster = await findOrgCluster(ctx, name)
    ctx.clusterOrgs?.remember(cluster, ctx.org)
    return cluster
  } catch (err) {
    ctx.clusterOrgs?.forget(name)
    throw err
  }
}

/** A task definition a service of ours runs (so it is ours through the service); 404 when ECS has lost it. */
export async function serviceTaskDefinition(ctx: ServiceContext, ref: string): Promise<TaskDefinition> {
  const found = await ctx.ecs.describeTaskDefinition(ref)
  if (!found) throw new NotFoundError(`task definition ${ref} not found`)
  return found.taskDefinition
}

/**
 * `serviceTaskDefinition` for a service update: a revision read lately is not described again (its
 * content never changes; see `RevisionMemory` for its status), and one described is remembered.
 */
export async function currentServiceRevision(ctx: ServiceContext, ref: string): Promise<TaskDefinition> {
  const remembered = ctx.revisions?.get(ref)
  if (remembered) return remembered
  const found = await serviceTaskDefinition(ctx, ref)
  ctx.revisions?.remember(ref, found)
  return found
}

/**
 * The ACTIVE revision `service.taskDefinition` names for a service of `cluster` to run: the org's and
 * the space's (`requireOrgTaskDefinition`), otherwise a 404 naming the field.
 */
export async function requireSpaceRevision(ctx: ServiceContext, ref: string, cluster: string): Promise<TaskDefinition> {
  let parsed: TaskDefinitionRef
  try {
    parsed = parseTaskDefinitionRef(ref)
  } catch {
    throw fieldError('service.taskDefinition', `is not a family, family:revision or task definition ARN: "${ref}"`)
  }
  const notFound = () => new NotFoundError(`service.taskDefinition: task definition ${ref} not found in cluster ${cluster}`)
  const found = await requireOrgTaskDefinition(ctx.ecs, parsed, ctx.org, cluster).catch((err: unknown) => {
    throw err instanceof NotFoundError ? notFound() : err
  })
  if (found.taskDefinition.status !== 'ACTIVE') throw notFound()
  return found.taskDefinition
}

import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { ConflictError, fieldError, NotFoundError } from '../../core/errors.js'
import { FLAVOR_TAG } from '../../core/tags.js'
import { findOrgService, requireSpaceRevision } from '../services/find-service.js'
import type { DeploymentContext } from './context.js'
import { familyOf } from '../../core/deployments/model.js'
import { serviceDeployments } from './read-deployments.js'
import { startDeployment } from './start-deployment.js'
import type { Deployment } from './view.js'

/** `{"revision": N}` (also `"N"`, `"family:N"` or a revision ARN), or nothing. */
function requestedRevision(body: unknown, family: string): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'revision')
  const value = key === undefined ? undefined : (body as Record<string, unknown>)[key]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw fieldError('revision', 'must be a positive whole number')
    return `${family}:${value}`
  }
  if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 1) return `${family}:${Number(value)}`
  if (typeof value === 'string' && /^(arn:[^\s]+:task-definition\/)?[A-Za-z0-9_-]+:\d+$/.test(value)) return value
  throw fieldError('revision', 'must be a revision number, family:revision or a task definition revision ARN')
}

/** The revision to go back to, checked to be of the service's own family, in this space, of flavor service. */
async function requireOwnRevision(ctx: DeploymentContext, cluster: string, ref: string, family: string): Promise<TaskDefinition> {
  const notFound = () => new NotFoundError(`revision: task definition ${ref} is not a revision of service family ${family} in cluster ${cluster}`)
  if (familyOf(ref) !== family) throw notFound()
  const found = await ctx.ecs.describeTaskDefinition(ref)
  const flavor = found?.tags.find((t) => t.key === FLAVOR_TAG)?.value
  if (!found || (flavor !== undefined && flavor !== 'service')) throw notFound()
  return requireSpaceRevision(ctx, ref, cluster).catch((err: unknown) => {
    throw err instanceof NotFoundError ? notFound() : err
  })
}

/**
 * Rolls a service back to the previous revision that SUCCEEDED (or the one asked for), as a new
 * deployment of kind `rollback`. A 404 names a revision of another family, flavor or space; a 409
 * says there is nothing to roll back to. Nothing changes in ECS on either.
 */
export async function rollbackService(ctx: DeploymentContext, cluster: string, name: string, body: unknown): Promise<Deployment> {
  const service = await findOrgService(ctx, cluster, name)
  const current = service.taskDefinition ?? ''
  const family = familyOf(current)
  const asked = requestedRevision(body, family)
  let target: string
  if (asked !== undefined) {
    target = asked
  } else {
    const all = await serviceDeployments(ctx, cluster, service.serviceName ?? name)
    // The previous revision that SUCCEEDED: the newest success on another revision than the one running.
    const previous = all.find((d) => d.progress.outcome === 'SUCCEEDED' && d.input.taskDefinition !== current)
    if (!previous) throw new ConflictError(`service ${name} has no earlier revision that deployed successfully to roll back to`)
    target = previous.input.taskDefinition
  }
  const revision = await requireOwnRevision(ctx, cluster, target, family)
  if (revision.taskDefinitionArn === current) throw new ConflictError(`service ${name} already runs ${current}: nothing to roll back to`)
  const updated = await ctx.services.update({
    cluster: service.clusterArn,
    service: service.serviceArn,
    taskDefinition: revision.taskDefinitionArn,
    forceNewDeployment: true,
  })
  return startDeployment(ctx, { kind: 'rollback', cluster, service: updated, containers: revision.containerDefinitions ?? [] })
}


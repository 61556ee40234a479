import { ConflictError } from '../../core/errors.js'
import { findOrgService, serviceTaskDefinition } from '../services/find-service.js'
import type { DeploymentContext } from './context.js'
import { isEnded } from '../../core/deployments/model.js'
import { findDeployment, lastSucceeded } from './read-deployments.js'
import { startDeployment } from './start-deployment.js'
import type { Deployment } from './view.js'

/**
 * Aborts an IN_PROGRESS deployment and goes back to the service's last revision that SUCCEEDED:
 * with ECS's StopServiceDeployment (stopType ROLLBACK) where this ECS offers it, otherwise by
 * updating the service to that revision. The going back is itself a deployment (kind `abort`),
 * answered here; the aborted one's tracker ends it ABORTED. A 409 when it already ended or there
 * is no successful revision to go back to.
 */
export async function abortDeployment(ctx: DeploymentContext, cluster: string, name: string, id: string): Promise<Deployment> {
  const service = await findOrgService(ctx, cluster, name)
  const target = await findDeployment(ctx, cluster, service.serviceName ?? name, id)
  if (isEnded(target.progress.outcome) || target.trackingError !== undefined) {
    throw new ConflictError(`deployment ${id} already ended (${target.progress.outcome}): there is nothing to abort`)
  }
  const good = await lastSucceeded(ctx, cluster, target.input.service, id)
  if (!good) throw new ConflictError(`service ${name} has no revision that deployed successfully to go back to`)
  const revision = await serviceTaskDefinition(ctx, good.input.taskDefinition)

  const stopped = await ctx.serviceDeployments.stopInProgress(service.clusterArn ?? cluster, service.serviceArn ?? name)
  const updated =
    stopped === 'stopped'
      ? { ...service, taskDefinition: revision.taskDefinitionArn }
      : await ctx.services.update({
          cluster: service.clusterArn,
          service: service.serviceArn,
          taskDefinition: revision.taskDefinitionArn,
          forceNewDeployment: true,
        })
  ctx.log?.info({ deploymentId: id, how: stopped === 'stopped' ? 'StopServiceDeployment' : 'UpdateService', to: revision.taskDefinitionArn }, 'deployment aborted')
  return startDeployment(ctx, { kind: 'abort', cluster, service: updated, containers: revision.containerDefinitions ?? [], aborts: id })
}

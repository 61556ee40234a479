import { ecsServiceDeployments, type EcsServiceDeployments } from '../../aws/ecs-service-deployments.js'
import { serviceContext, type ServiceContext } from '../services/context.js'
import type { UseCaseContext } from '../use-case-context.js'
import type { DeploymentInput } from '../../core/deployments/model.js'

/** How deployments are tracked, from the config; stored in each deployment so a resume keeps them. */
export interface DeploymentSettings {
  deadlineSeconds: number
  pollMinMs: number
  pollMaxMs: number
  registry?: DeploymentInput['registry']
}

/** What the deployment use cases need: the service context, the settings and who asks. */
export interface DeploymentContext extends ServiceContext {
  readonly settings: DeploymentSettings
  readonly tokenId?: string | undefined
  readonly serviceDeployments: EcsServiceDeployments
}

export function deploymentContext(base: UseCaseContext, settings: DeploymentSettings, tokenId: string | undefined): DeploymentContext {
  return {
    ...serviceContext(base),
    settings,
    tokenId,
    serviceDeployments: ecsServiceDeployments(base.account.clients.ecs),
  }
}

import {
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs'
import { DomainError } from '../core/errors.js'

/**
 * ECS's own service deployments (ListServiceDeployments, StopServiceDeployment). Not every ECS
 * offers them (older regions, emulators): then `stopInProgress` answers `unsupported` and the
 * caller goes back another way.
 */

export type StopOutcome = 'stopped' | 'none-in-progress' | 'unsupported'

export interface EcsServiceDeployments {
  /**
   * Stops the service's IN_PROGRESS deployment with stopType ROLLBACK (ECS goes back to the last
   * completed one). `unsupported` when this ECS does not offer the calls.
   */
  stopInProgress(cluster: string, service: string): Promise<StopOutcome>
}

/** Errors that mean "this endpoint does not know the action", not "the action failed". */
function isUnsupported(err: unknown): boolean {
  if (!(err instanceof DomainError)) return false
  if (err.status === 404 || err.status === 501 || err.status === 500) return true
  return /not (yet )?implemented|unknown operation|unrecognized|invalid action/i.test(err.message)
}

export function ecsServiceDeployments(client: ECSClient): EcsServiceDeployments {
  return {
    async stopInProgress(cluster, service) {
      let arn: string | undefined
      try {
        const out = await client.send(new ListServiceDeploymentsCommand({ cluster, service, status: ['IN_PROGRESS', 'PENDING'] }))
        arn = out.serviceDeployments?.[0]?.serviceDeploymentArn
      } catch (err) {
        if (isUnsupported(err)) return 'unsupported'
        throw err
      }
      if (!arn) return 'none-in-progress'
      await client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
      return 'stopped'
    },
  }
}

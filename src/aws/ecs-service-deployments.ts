import type { ECSClient } from '@aws-sdk/client-ecs'
import { ListServiceDeploymentsCommand, StopServiceDeploymentCommand } from './sdk/ecs.js'
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

/**
 * Whether a failed ListServiceDeployments means "this ECS cannot do it here": emulators answer
 * unknown actions with a 404 or 500 (an unreadable answer), older endpoints with an unknown-operation
 * error. Any AWS-side failure of the listing counts: going back by UpdateService is always possible.
 */
function isUnsupported(err: unknown): boolean {
  return err instanceof DomainError && err.status !== 400 && err.status !== 401 && err.status !== 403
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

import type { ECSClient, ServiceDeploymentBrief, ServiceRevision } from '@aws-sdk/client-ecs'
import { DescribeServiceRevisionsCommand, ListServiceDeploymentsCommand, StopServiceDeploymentCommand } from './sdk/ecs.js'
import { DomainError } from '../core/errors.js'

/**
 * ECS's own service deployments (ListServiceDeployments, DescribeServiceRevisions,
 * StopServiceDeployment). Not every ECS offers them (older regions, emulators): then `stopInProgress`
 * answers `unsupported` and the caller goes back another way, and `recent` answers nothing.
 */

/** The newest deployments ECS lists for a service, with the revisions they roll out. */
export interface EcsDeploymentHistory {
  deployments: ServiceDeploymentBrief[]
  /** By service revision ARN (the revisions DescribeServiceRevisions gave; others are missing). */
  revisions: ReadonlyMap<string, ServiceRevision>
}

/** DescribeServiceRevisions takes at most this many ARNs per call. */
const MAX_REVISIONS_PER_CALL = 20

export type StopOutcome = 'stopped' | 'none-in-progress' | 'unsupported'

export interface EcsServiceDeployments {
  /**
   * Stops the service's IN_PROGRESS deployment with stopType ROLLBACK (ECS goes back to the last
   * completed one). `unsupported` when this ECS does not offer the calls.
   */
  stopInProgress(cluster: string, service: string): Promise<StopOutcome>
  /**
   * The service's newest `max` (at most 20) deployments as ECS lists them, whatever their status,
   * with their revisions (two calls, one after the other). Undefined when this ECS does not offer the
   * listing or it failed: the history is then the API's own alone, which it always has.
   */
  recent(cluster: string, service: string, max: number): Promise<EcsDeploymentHistory | undefined>
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

    async recent(cluster, service, max) {
      let deployments: ServiceDeploymentBrief[]
      try {
        const out = await client.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: Math.min(max, MAX_REVISIONS_PER_CALL) }))
        deployments = out.serviceDeployments ?? []
      } catch {
        return undefined
      }
      const arns = [...new Set(deployments.map((d) => d.targetServiceRevisionArn).filter((a): a is string => !!a))]
      const revisions = new Map<string, ServiceRevision>()
      if (arns.length > 0) {
        try {
          const out = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns.slice(0, MAX_REVISIONS_PER_CALL) }))
          for (const r of out.serviceRevisions ?? []) if (r.serviceRevisionArn) revisions.set(r.serviceRevisionArn, r)
        } catch {
          // The entries are still worth listing without their revisions.
        }
      }
      return { deployments, revisions }
    },
  }
}

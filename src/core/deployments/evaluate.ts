import type { Deployment, Service } from '@aws-sdk/client-ecs'
import type { Counts, DeploymentInput, Outcome } from './model.js'

/**
 * Reads one DescribeServices answer into the deployment's state. The rules:
 * - SUCCEEDED: our ECS deployment is PRIMARY and COMPLETED with running = desired;
 * - ROLLED_BACK: ECS marked ours FAILED and another deployment is PRIMARY (the circuit breaker or an
 *   alarm rolled back), or ours is gone and the PRIMARY runs another revision: a failure, never a success;
 * - FAILED: ECS marked ours FAILED with nothing rolled back, or the service is gone;
 * - IN_PROGRESS otherwise.
 */

/** How far ECS's clock and ours may disagree when ordering ECS's deployments against our start. */
const CLOCK_SLACK_MS = 5_000

export interface Evaluation {
  outcome: Outcome
  reason?: string
  rolloutState?: string
  counts: Counts
}

/** Our ECS deployment: the one ECS answered the change with, else the PRIMARY on our revision. */
export function ourDeployment(service: Service, input: DeploymentInput): Deployment | undefined {
  const all = service.deployments ?? []
  return (
    (input.ecsDeploymentId !== undefined ? all.find((d) => d.id === input.ecsDeploymentId && d.taskDefinition === input.taskDefinition) : undefined) ??
    all.find((d) => d.status === 'PRIMARY' && d.taskDefinition === input.taskDefinition) ??
    all.find((d) => d.taskDefinition === input.taskDefinition && d.rolloutState === 'FAILED')
  )
}

function countsOf(d: Deployment | undefined, service: Service): Counts {
  return {
    desired: d?.desiredCount ?? service.desiredCount ?? 0,
    running: d?.runningCount ?? 0,
    pending: d?.pendingCount ?? 0,
    failed: d?.failedTasks ?? 0,
  }
}

export function evaluate(service: Service | undefined, input: DeploymentInput): Evaluation {
  if (!service || service.status !== 'ACTIVE') {
    return { outcome: 'FAILED', reason: 'the service was deleted while it deployed', counts: { desired: 0, running: 0, pending: 0, failed: 0 } }
  }
  const ours = ourDeployment(service, input)
  const primary = (service.deployments ?? []).find((d) => d.status === 'PRIMARY')
  const counts = countsOf(ours, service)
  if (!ours) {
    // A PRIMARY on another revision made after ours started: ECS went back (ours is gone). One older
    // than ours is what ran before; ECS has not shown ours yet.
    const newer = primary?.createdAt !== undefined && primary.createdAt.getTime() >= Date.parse(input.startedAt) - CLOCK_SLACK_MS
    if (primary && primary.taskDefinition !== input.taskDefinition && newer) {
      return {
        outcome: 'ROLLED_BACK',
        reason: `rolled back to ${primary.taskDefinition ?? 'another revision'}`,
        ...(primary.rolloutState ? { rolloutState: primary.rolloutState } : {}),
        counts,
      }
    }
    return { outcome: 'IN_PROGRESS', counts }
  }
  const state = { ...(ours.rolloutState ? { rolloutState: ours.rolloutState } : {}), ...(ours.rolloutStateReason ? { reason: ours.rolloutStateReason } : {}) }
  if (ours.rolloutState === 'FAILED') {
    const rolledBack = primary !== undefined && primary.id !== ours.id
    return { outcome: rolledBack ? 'ROLLED_BACK' : 'FAILED', ...state, counts }
  }
  const completed = ours.rolloutState === 'COMPLETED' || (ours.rolloutState === undefined && (service.deployments ?? []).length === 1)
  if (ours.status === 'PRIMARY' && completed && counts.running === counts.desired) {
    return { outcome: 'SUCCEEDED', ...state, counts }
  }
  return { outcome: 'IN_PROGRESS', ...state, counts }
}

import type { Service } from '@aws-sdk/client-ecs'
import {
  ecsServiceResourceId,
  policyDefinition,
  scheduledActionDefinition,
  type ApplicationAutoscaling,
  type ScalableTarget,
  type ScalingPolicy,
  type ScheduledAction,
} from '../../aws/application-autoscaling.js'
import type { AutoscalingState } from '../steps/autoscaling-scope.js'

/** What Application Auto Scaling has for one service now. */
export interface CurrentAutoscaling {
  resourceId: string
  target: ScalableTarget | undefined
  policies: ScalingPolicy[]
  actions: ScheduledAction[]
}

/** The resource id of an org-checked service (its cluster's name from its ARN, as AWS knows it). */
export function resourceIdOf(service: Service, cluster: string): string {
  const clusterName = service.clusterArn?.split('/').at(-1) ?? cluster
  return ecsServiceResourceId(clusterName, service.serviceName ?? '')
}

/** Reads the service's scalable target, policies and scheduled actions (three calls, side by side). */
export async function readAutoscaling(autoscaling: ApplicationAutoscaling, resourceId: string): Promise<CurrentAutoscaling> {
  const [target, policies, actions] = await Promise.all([
    autoscaling.describeTarget(resourceId),
    autoscaling.listPolicies(resourceId),
    autoscaling.listScheduledActions(resourceId),
  ])
  return { resourceId, target, policies, actions }
}

/** The current setting in the terms the workflow steps restore. */
export function stateOf(current: CurrentAutoscaling): AutoscalingState {
  return {
    target: current.target ? { min: current.target.MinCapacity ?? 0, max: current.target.MaxCapacity ?? 0 } : undefined,
    policies: current.policies.map(policyDefinition),
    actions: current.actions.map(scheduledActionDefinition),
  }
}

/** Whether the service has anything of autoscaling. */
export function hasAutoscaling(current: CurrentAutoscaling): boolean {
  return current.target !== undefined || current.policies.length > 0 || current.actions.length > 0
}

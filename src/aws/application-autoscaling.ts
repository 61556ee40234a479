import type {
  ApplicationAutoScalingClient,
  ScalableTarget,
  ScalingActivity,
  ScalingPolicy,
  ScheduledAction,
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling'
import {
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  paginateDescribeScalableTargets,
  paginateDescribeScalingPolicies,
  paginateDescribeScheduledActions,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from './sdk/application-autoscaling.js'
import { ForbiddenError, NotFoundError, UpstreamError } from '../core/errors.js'
import { awsCodeOf } from './translate-error.js'

export type { ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction } from '@aws-sdk/client-application-auto-scaling'

/**
 * Application Auto Scaling for ECS services: the scalable target of a service's desired count, its
 * scaling policies and scheduled actions. Everything here is about one resource id
 * (`service/<cluster>/<service>`) and the one dimension an ECS service has.
 */

const NAMESPACE = 'ecs'
export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount'

/** The resource id Application Auto Scaling knows an ECS service by. */
export function ecsServiceResourceId(cluster: string, service: string): string {
  return `service/${cluster}/${service}`
}

/** A scaling policy as PutScalingPolicy takes it back (plain JSON: a rollback may store it). */
export interface PolicyDefinition {
  PolicyName: string
  PolicyType: string
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingScalingPolicyConfiguration | undefined
  StepScalingPolicyConfiguration?: StepScalingPolicyConfiguration | undefined
}

/** A scheduled action as PutScheduledAction takes it back; times as RFC 3339 strings (plain JSON). */
export interface ScheduledActionDefinition {
  ScheduledActionName: string
  Schedule: string
  Timezone?: string | undefined
  StartTime?: string | undefined
  EndTime?: string | undefined
  MinCapacity?: number | undefined
  MaxCapacity?: number | undefined
}

export interface ApplicationAutoscaling {
  /** The service's scalable target, or undefined when none is registered. */
  describeTarget(resourceId: string): Promise<ScalableTarget | undefined>
  /**
   * The scalable targets of several services, batched (50 resource ids per call, the calls side by
   * side); services without one are simply not in the answer.
   */
  describeTargets(resourceIds: readonly string[]): Promise<ScalableTarget[]>
  registerTarget(resourceId: string, range: { min: number; max: number }): Promise<void>
  /** Deregisters the scalable target; one that is already gone is fine. */
  deregisterTarget(resourceId: string): Promise<void>
  /** Every scaling policy of the service, pagination followed. */
  listPolicies(resourceId: string): Promise<ScalingPolicy[]>
  putPolicy(resourceId: string, policy: PolicyDefinition): Promise<void>
  /** Deletes a policy; one that is already gone is fine. */
  deletePolicy(resourceId: string, name: string): Promise<void>
  /** Every scheduled action of the service, pagination followed. */
  listScheduledActions(resourceId: string): Promise<ScheduledAction[]>
  putScheduledAction(resourceId: string, action: ScheduledActionDefinition): Promise<void>
  /** Deletes a scheduled action; one that is already gone is fine. */
  deleteScheduledAction(resourceId: string, name: string): Promise<void>
  /**
   * The service's most recent scaling activities (newest first), or none where the account does not
   * offer DescribeScalingActivities.
   */
  recentActivities(resourceId: string, limit: number): Promise<ScalingActivity[]>
}

/**
 * "Already gone": AWS answers ObjectNotFoundException (translated to a 404); moto answers a
 * ValidationException saying no such target or policy was found.
 */
function isGone(err: unknown): boolean {
  if (err instanceof NotFoundError) return true
  return awsCodeOf(err) === 'ValidationException' && err instanceof Error && /No scal(able target|ing policy) found/i.test(err.message)
}

async function unlessGone(call: Promise<unknown>): Promise<void> {
  try {
    await call
  } catch (err) {
    if (!isGone(err)) throw err
  }
}

/**
 * Whether DescribeScalingActivities is not offered where we asked: an endpoint that does not know the
 * operation, or credentials that may not call it. moto 5.2.5 does not implement it and answers an
 * HTML "500 Internal Server Error" page (translated to an unreadable-answer UpstreamError); an
 * endpoint that names the problem answers UnknownOperationException or InvalidAction; an account
 * whose role lacks the permission answers AccessDenied (the setting itself is still worth showing).
 */
function notOffered(err: unknown): boolean {
  if (err instanceof ForbiddenError) return true
  const code = awsCodeOf(err)
  if (code === 'UnknownOperationException' || code === 'InvalidAction' || code === 'NotImplemented') return true
  if (!(err instanceof UpstreamError) || code !== undefined) return false
  const cause = err.cause
  return cause instanceof Error && (cause.name === 'SyntaxError' || /Deserialization error/i.test(cause.message))
}

/** Resource ids one DescribeScalableTargets takes: one page holds at most 50 targets. */
const TARGETS_PER_CALL = 50

function definedTime(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value)
}

/** The Application Auto Scaling adapter over one account's client (errors arrive already translated). */
export function applicationAutoscaling(client: ApplicationAutoScalingClient): ApplicationAutoscaling {
  const ids = (resourceId: string) => ({ ServiceNamespace: NAMESPACE, ResourceId: resourceId, ScalableDimension: ECS_DESIRED_COUNT }) as const
  const paging = { client, stopOnSameToken: true }
  return {
    async describeTarget(resourceId) {
      const out = await client.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: NAMESPACE, ResourceIds: [resourceId], ScalableDimension: ECS_DESIRED_COUNT }),
      )
      // Filtered again: an emulator may ignore a filter, and only this service's target is ours to show.
      return out.ScalableTargets?.find((t) => t.ResourceId === resourceId && t.ScalableDimension === ECS_DESIRED_COUNT)
    },
    async describeTargets(resourceIds) {
      const wanted = new Set(resourceIds)
      const batches: string[][] = []
      for (let i = 0; i < resourceIds.length; i += TARGETS_PER_CALL) batches.push(resourceIds.slice(i, i + TARGETS_PER_CALL))
      const pages = await Promise.all(
        batches.map(async (batch) => {
          const found: ScalableTarget[] = []
          const input = { ServiceNamespace: NAMESPACE, ResourceIds: batch, ScalableDimension: ECS_DESIRED_COUNT } as const
          for await (const page of paginateDescribeScalableTargets(paging, input)) found.push(...(page.ScalableTargets ?? []))
          return found
        }),
      )
      // Filtered again, as describeTarget does: only the asked services' targets are ours to show.
      return pages.flat().filter((t) => wanted.has(t.ResourceId ?? '') && t.ScalableDimension === ECS_DESIRED_COUNT)
    },
    async registerTarget(resourceId, { min, max }) {
      await client.send(new RegisterScalableTargetCommand({ ...ids(resourceId), MinCapacity: min, MaxCapacity: max }))
    },
    deregisterTarget: (resourceId) => unlessGone(client.send(new DeregisterScalableTargetCommand(ids(resourceId)))),
    async listPolicies(resourceId) {
      const out: ScalingPolicy[] = []
      for await (const page of paginateDescribeScalingPolicies(paging, ids(resourceId))) out.push(...(page.ScalingPolicies ?? []))
      return out.filter((p) => p.ResourceId === resourceId && p.ScalableDimension === ECS_DESIRED_COUNT)
    },
    async putPolicy(resourceId, policy) {
      await client.send(
        new PutScalingPolicyCommand({
          ...ids(resourceId),
          PolicyName: policy.PolicyName,
          PolicyType: policy.PolicyType as 'TargetTrackingScaling',
          ...(policy.TargetTrackingScalingPolicyConfiguration
            ? { TargetTrackingScalingPolicyConfiguration: policy.TargetTrackingScalingPolicyConfiguration }
            : {}),
          ...(policy.StepScalingPolicyConfiguration ? { StepScalingPolicyConfiguration: policy.StepScalingPolicyConfiguration } : {}),
        }),
      )
    },
    deletePolicy: (resourceId, name) => unlessGone(client.send(new DeleteScalingPolicyCommand({ ...ids(resourceId), PolicyName: name }))),
    async listScheduledActions(resourceId) {
      const out: ScheduledAction[] = []
      for await (const page of paginateDescribeScheduledActions(paging, ids(resourceId))) out.push(...(page.ScheduledActions ?? []))
      return out.filter((a) => a.ResourceId === resourceId)
    },
    async putScheduledAction(resourceId, action) {
      const startTime = definedTime(action.StartTime)
      const endTime = definedTime(action.EndTime)
      await client.send(
        new PutScheduledActionCommand({
          ...ids(resourceId),
          ScheduledActionName: action.ScheduledActionName,
          Schedule: action.Schedule,
          ...(action.Timezone ? { Timezone: action.Timezone } : {}),
          ...(startTime ? { StartTime: startTime } : {}),
          ...(endTime ? { EndTime: endTime } : {}),
          ScalableTargetAction: {
            ...(action.MinCapacity !== undefined ? { MinCapacity: action.MinCapacity } : {}),
            ...(action.MaxCapacity !== undefined ? { MaxCapacity: action.MaxCapacity } : {}),
          },
        }),
      )
    },
    deleteScheduledAction: (resourceId, name) =>
      unlessGone(client.send(new DeleteScheduledActionCommand({ ...ids(resourceId), ScheduledActionName: name }))),
    async recentActivities(resourceId, limit) {
      try {
        const out = await client.send(new DescribeScalingActivitiesCommand({ ...ids(resourceId), MaxResults: limit }))
        return out.ScalingActivities ?? []
      } catch (err) {
        // Not offered (see notOffered): the setting is still worth answering, with no activities.
        if (notOffered(err)) return []
        throw err
      }
    },
  }
}

/** A policy as PutScalingPolicy would make it again (what a rollback puts back). */
export function policyDefinition(policy: ScalingPolicy): PolicyDefinition {
  return {
    PolicyName: policy.PolicyName ?? '',
    PolicyType: policy.PolicyType ?? 'TargetTrackingScaling',
    ...(policy.TargetTrackingScalingPolicyConfiguration
      ? { TargetTrackingScalingPolicyConfiguration: policy.TargetTrackingScalingPolicyConfiguration }
      : {}),
    ...(policy.StepScalingPolicyConfiguration ? { StepScalingPolicyConfiguration: policy.StepScalingPolicyConfiguration } : {}),
  }
}

/** A scheduled action as PutScheduledAction would make it again (what a rollback puts back). */
export function scheduledActionDefinition(action: ScheduledAction): ScheduledActionDefinition {
  return {
    ScheduledActionName: action.ScheduledActionName ?? '',
    Schedule: action.Schedule ?? '',
    ...(action.Timezone ? { Timezone: action.Timezone } : {}),
    ...(action.StartTime ? { StartTime: action.StartTime.toISOString() } : {}),
    ...(action.EndTime ? { EndTime: action.EndTime.toISOString() } : {}),
    ...(action.ScalableTargetAction?.MinCapacity !== undefined ? { MinCapacity: action.ScalableTargetAction.MinCapacity } : {}),
    ...(action.ScalableTargetAction?.MaxCapacity !== undefined ? { MaxCapacity: action.ScalableTargetAction.MaxCapacity } : {}),
  }
}

/**
 * What the autoscaling steps read from a workflow's scope: the account (compensations build their
 * adapter from it alone, so a tracked operation can run them again later), the service's resource id,
 * and the setting before and after the request.
 */
import type { Account } from '../../aws/account-clients.js'
import {
  applicationAutoscaling,
  type ApplicationAutoscaling,
  type PolicyDefinition,
  type ScheduledActionDefinition,
} from '../../aws/application-autoscaling.js'

/** A service's autoscaling in the terms of Application Auto Scaling (plain JSON). */
export interface AutoscalingState {
  /** The scalable target's range; undefined when none is registered. */
  readonly target: { min: number; max: number } | undefined
  readonly policies: readonly PolicyDefinition[]
  readonly actions: readonly ScheduledActionDefinition[]
}

export interface AutoscalingScope {
  readonly account: Account
  /** `service/<cluster>/<service>`. */
  readonly resourceId: string
  /** What AWS had before this request (what a rollback puts back). */
  readonly before: AutoscalingState
  /** What the request asks for (for a removal: nothing). */
  readonly after: AutoscalingState
}

/** The adapter of the scope's account. */
export function autoscalingOf(scope: { readonly account: Account }): ApplicationAutoscaling {
  return applicationAutoscaling(scope.account.clients.applicationAutoScaling)
}

/**
 * Runs `work` for every item at once (one service has a handful of policies or actions) and answers
 * the items it succeeded for; when any failed, throws the first failure with those, so the step can
 * hand exactly what it changed to the rollback.
 */
export async function forEachAtOnce<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<{ done: T[]; failure?: unknown }> {
  const settled = await Promise.allSettled(items.map((item) => work(item)))
  const done = items.filter((_, i) => settled[i]?.status === 'fulfilled')
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  return failed ? { done, failure: failed.reason } : { done }
}

/**
 * Step `remove-scaling-policies`: deletes the service's scaling policies that the setting no longer
 * has (all of them for a removal). Undo: puts each deleted policy back with its configuration (AWS
 * gives it a new ARN and new alarms). A failure part way hands the ones already deleted to the rollback.
 */
import type { PolicyDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'

export const REMOVE_SCALING_POLICIES_STEP = 'remove-scaling-policies'

export interface RemovedPolicies {
  resourceId: string
  removed: PolicyDefinition[]
}

export function removeScalingPoliciesStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, RemovedPolicies, AutoscalingScope> {
  return defineStep<undefined, RemovedPolicies, AutoscalingScope>({
    id: REMOVE_SCALING_POLICIES_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before, after } = ctx.scope
      const keep = new Set(after.policies.map((p) => p.PolicyName))
      const gone = before.policies.filter((p) => !keep.has(p.PolicyName))
      if (gone.length === 0) return { output: undefined, skipped: true as const }
      const autoscaling = autoscalingOf(ctx.scope)
      const done: RemovedPolicies = { resourceId, removed: [] }
      for (const policy of gone) {
        try {
          await autoscaling.deletePolicy(resourceId, policy.PolicyName)
        } catch (err) {
          throw new StepFailedError(err, { compensation: done.removed.length > 0 ? done : undefined })
        }
        done.removed.push(policy)
      }
      return { output: undefined, compensation: done }
    },
    async compensate({ resourceId, removed }: RemovedPolicies, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const policy of removed) await autoscaling.putPolicy(resourceId, policy)
    },
  })
}

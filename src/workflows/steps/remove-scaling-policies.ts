/**
 * Step `remove-scaling-policies`: deletes the service's scaling policies that the setting no longer
 * has (all of them for a removal), side by side. Undo: puts each deleted policy back with its
 * configuration (AWS gives it a new ARN and new alarms). A failure of one hands those that were
 * deleted to the rollback.
 */
import type { PolicyDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, forEachAtOnce, type AutoscalingScope } from './autoscaling-scope.js'

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
      const { done, failure } = await forEachAtOnce(gone, (policy) => autoscaling.deletePolicy(resourceId, policy.PolicyName))
      const compensation: RemovedPolicies = { resourceId, removed: done }
      if (failure !== undefined) throw new StepFailedError(failure, { compensation: done.length > 0 ? compensation : undefined })
      return { output: undefined, compensation }
    },
    async compensate({ resourceId, removed }: RemovedPolicies, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const policy of removed) await autoscaling.putPolicy(resourceId, policy)
    },
  })
}

/**
 * Step `put-scaling-policies`: puts the target-tracking policy of every metric asked for, side by
 * side. Undo: each policy it put goes back to the configuration it had, or is deleted when it is
 * new. A failure of one hands the policies that were put to the rollback.
 */
import type { PolicyDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, forEachAtOnce, type AutoscalingScope } from './autoscaling-scope.js'

export const PUT_SCALING_POLICIES_STEP = 'put-scaling-policies'

export interface PoliciesRestore {
  resourceId: string
  /** Each policy put, with what it was before (null: it was new). */
  put: { name: string; previous: PolicyDefinition | null }[]
}

export function putScalingPoliciesStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, PoliciesRestore, AutoscalingScope> {
  return defineStep<undefined, PoliciesRestore, AutoscalingScope>({
    id: PUT_SCALING_POLICIES_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before, after } = ctx.scope
      if (after.policies.length === 0) return { output: undefined, skipped: true as const }
      const autoscaling = autoscalingOf(ctx.scope)
      const { done, failure } = await forEachAtOnce(after.policies, (policy) => autoscaling.putPolicy(resourceId, policy))
      const put = done.map((policy) => ({ name: policy.PolicyName, previous: before.policies.find((p) => p.PolicyName === policy.PolicyName) ?? null }))
      const compensation: PoliciesRestore = { resourceId, put }
      if (failure !== undefined) throw new StepFailedError(failure, { compensation: put.length > 0 ? compensation : undefined })
      return { output: undefined, compensation }
    },
    async compensate({ resourceId, put }: PoliciesRestore, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const { name, previous } of [...put].reverse()) {
        if (previous) await autoscaling.putPolicy(resourceId, previous)
        else await autoscaling.deletePolicy(resourceId, name)
      }
    },
  })
}

/**
 * Step `put-scaling-policies`: puts the target-tracking policy of every metric asked for. Undo: each
 * policy it put goes back to the configuration it had, or is deleted when it is new. A failure part
 * way hands the policies already put to the rollback.
 */
import type { PolicyDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'

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
      const done: PoliciesRestore = { resourceId, put: [] }
      for (const policy of after.policies) {
        try {
          await autoscaling.putPolicy(resourceId, policy)
        } catch (err) {
          throw new StepFailedError(err, { compensation: done.put.length > 0 ? done : undefined })
        }
        done.put.push({ name: policy.PolicyName, previous: before.policies.find((p) => p.PolicyName === policy.PolicyName) ?? null })
      }
      return { output: undefined, compensation: done }
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

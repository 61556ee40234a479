/**
 * Step `deregister-scalable-target`: removes the service's scalable target (its policies and
 * scheduled actions are removed by the steps before it). ECS keeps the service's current count.
 * Undo: registers the range it had again.
 */
import { defineStep, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'
import type { TargetRestore } from './register-scalable-target.js'

export const DEREGISTER_SCALABLE_TARGET_STEP = 'deregister-scalable-target'

export function deregisterScalableTargetStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, TargetRestore, AutoscalingScope> {
  return defineStep<undefined, TargetRestore, AutoscalingScope>({
    id: DEREGISTER_SCALABLE_TARGET_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before } = ctx.scope
      if (!before.target) return { output: undefined, skipped: true as const }
      await autoscalingOf(ctx.scope).deregisterTarget(resourceId)
      return { output: undefined, compensation: { resourceId, previous: before.target } }
    },
    async compensate({ resourceId, previous }: TargetRestore, ctx) {
      if (previous) await autoscalingOf(ctx.scope).registerTarget(resourceId, previous)
    },
  })
}

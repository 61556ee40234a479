/**
 * Step `register-scalable-target`: registers the service's desired count as a scalable target with
 * the range asked for. Undo: the range it had, or no target when there was none.
 */
import { defineStep, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'

export const REGISTER_SCALABLE_TARGET_STEP = 'register-scalable-target'

export interface TargetRestore {
  resourceId: string
  /** The range to put back; null: deregister. */
  previous: { min: number; max: number } | null
}

export function registerScalableTargetStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, TargetRestore, AutoscalingScope> {
  return defineStep<undefined, TargetRestore, AutoscalingScope>({
    id: REGISTER_SCALABLE_TARGET_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before, after } = ctx.scope
      if (!after.target) return { output: undefined, skipped: true as const }
      await autoscalingOf(ctx.scope).registerTarget(resourceId, after.target)
      return { output: undefined, compensation: { resourceId, previous: before.target ?? null } }
    },
    async compensate({ resourceId, previous }: TargetRestore, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      if (previous) await autoscaling.registerTarget(resourceId, previous)
      else await autoscaling.deregisterTarget(resourceId)
    },
  })
}

/**
 * Step `remove-scheduled-actions`: deletes the service's scheduled actions that the setting no
 * longer has (all of them for a removal), side by side. Undo: puts each deleted action back as it
 * was. A failure of one hands those that were deleted to the rollback.
 */
import type { ScheduledActionDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, forEachAtOnce, type AutoscalingScope } from './autoscaling-scope.js'

export const REMOVE_SCHEDULED_ACTIONS_STEP = 'remove-scheduled-actions'

export interface RemovedActions {
  resourceId: string
  removed: ScheduledActionDefinition[]
}

export function removeScheduledActionsStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, RemovedActions, AutoscalingScope> {
  return defineStep<undefined, RemovedActions, AutoscalingScope>({
    id: REMOVE_SCHEDULED_ACTIONS_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before, after } = ctx.scope
      const keep = new Set(after.actions.map((a) => a.ScheduledActionName))
      const gone = before.actions.filter((a) => !keep.has(a.ScheduledActionName))
      if (gone.length === 0) return { output: undefined, skipped: true as const }
      const autoscaling = autoscalingOf(ctx.scope)
      const { done, failure } = await forEachAtOnce(gone, (action) => autoscaling.deleteScheduledAction(resourceId, action.ScheduledActionName))
      const compensation: RemovedActions = { resourceId, removed: done }
      if (failure !== undefined) throw new StepFailedError(failure, { compensation: done.length > 0 ? compensation : undefined })
      return { output: undefined, compensation }
    },
    async compensate({ resourceId, removed }: RemovedActions, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const action of removed) await autoscaling.putScheduledAction(resourceId, action)
    },
  })
}

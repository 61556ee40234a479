/**
 * Step `remove-scheduled-actions`: deletes the service's scheduled actions that the setting no
 * longer has (all of them for a removal). Undo: puts each deleted action back as it was. A failure
 * part way hands the ones already deleted to the rollback.
 */
import type { ScheduledActionDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'

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
      const done: RemovedActions = { resourceId, removed: [] }
      for (const action of gone) {
        try {
          await autoscaling.deleteScheduledAction(resourceId, action.ScheduledActionName)
        } catch (err) {
          throw new StepFailedError(err, { compensation: done.removed.length > 0 ? done : undefined })
        }
        done.removed.push(action)
      }
      return { output: undefined, compensation: done }
    },
    async compensate({ resourceId, removed }: RemovedActions, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const action of removed) await autoscaling.putScheduledAction(resourceId, action)
    },
  })
}

/**
 * Step `put-scheduled-actions`: puts a scheduled action for every schedule of the setting. Undo:
 * each action it put goes back to what it was, or is deleted when it is new. A failure part way
 * hands the actions already put to the rollback.
 */
import type { ScheduledActionDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, type AutoscalingScope } from './autoscaling-scope.js'

export const PUT_SCHEDULED_ACTIONS_STEP = 'put-scheduled-actions'

export interface ActionsRestore {
  resourceId: string
  /** Each action put, with what it was before (null: it was new). */
  put: { name: string; previous: ScheduledActionDefinition | null }[]
}

export function putScheduledActionsStep(dependsOn: readonly StepRef<unknown>[] = []): Step<undefined, ActionsRestore, AutoscalingScope> {
  return defineStep<undefined, ActionsRestore, AutoscalingScope>({
    id: PUT_SCHEDULED_ACTIONS_STEP,
    dependsOn,
    async invoke(ctx: StepContext<AutoscalingScope>) {
      const { resourceId, before, after } = ctx.scope
      if (after.actions.length === 0) return { output: undefined, skipped: true as const }
      const autoscaling = autoscalingOf(ctx.scope)
      const done: ActionsRestore = { resourceId, put: [] }
      for (const action of after.actions) {
        try {
          await autoscaling.putScheduledAction(resourceId, action)
        } catch (err) {
          throw new StepFailedError(err, { compensation: done.put.length > 0 ? done : undefined })
        }
        const name = action.ScheduledActionName
        done.put.push({ name, previous: before.actions.find((a) => a.ScheduledActionName === name) ?? null })
      }
      return { output: undefined, compensation: done }
    },
    async compensate({ resourceId, put }: ActionsRestore, ctx) {
      const autoscaling = autoscalingOf(ctx.scope)
      for (const { name, previous } of [...put].reverse()) {
        if (previous) await autoscaling.putScheduledAction(resourceId, previous)
        else await autoscaling.deleteScheduledAction(resourceId, name)
      }
    },
  })
}

/**
 * Step `put-scheduled-actions`: puts a scheduled action for every schedule of the setting, side by
 * side. Undo: each action it put goes back to what it was, or is deleted when it is new. A failure
 * of one hands those that were put to the rollback.
 */
import type { ScheduledActionDefinition } from '../../aws/application-autoscaling.js'
import { defineStep, StepFailedError, type Step, type StepContext, type StepRef } from '../step.js'
import { autoscalingOf, forEachAtOnce, type AutoscalingScope } from './autoscaling-scope.js'

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
      const { done, failure } = await forEachAtOnce(after.actions, (action) => autoscaling.putScheduledAction(resourceId, action))
      const put = done.map(({ ScheduledActionName: name }) => ({ name, previous: before.actions.find((a) => a.ScheduledActionName === name) ?? null }))
      const compensation: ActionsRestore = { resourceId, put }
      if (failure !== undefined) throw new StepFailedError(failure, { compensation: put.length > 0 ? compensation : undefined })
      return { output: undefined, compensation }
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

import type { Schedule, ScheduleDefinition } from '../../aws/scheduler.js'
import { InputError, UpstreamError } from '../../core/errors.js'
import { updateScheduleWorkflow } from '../../workflows/schedule-update.js'
import { checkOverrides } from '../tasks/task-launch.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { runOptions } from '../use-case-context.js'
import type { ScheduleContext } from './context.js'
import { scheduleJson, type ScheduleJson } from './responses.js'
import { namingField, readScheduleBody } from './schedule-input.js'
import { scheduleScope } from './scope.js'
import { requireFamilySchedule, requireScheduleTarget } from './space-schedules.js'

/** The definition a schedule has now, as UpdateSchedule takes it (what a failed update puts back). */
function definitionOf(schedule: Schedule): ScheduleDefinition {
  return {
    Name: schedule.Name,
    GroupName: schedule.GroupName,
    ScheduleExpression: schedule.ScheduleExpression,
    ScheduleExpressionTimezone: schedule.ScheduleExpressionTimezone,
    State: schedule.State,
    Description: schedule.Description,
    FlexibleTimeWindow: schedule.FlexibleTimeWindow ?? { Mode: 'OFF' },
    Target: schedule.Target,
    ActionAfterCompletion: schedule.ActionAfterCompletion,
    StartDate: schedule.StartDate,
    EndDate: schedule.EndDate,
    KmsKeyArn: schedule.KmsKeyArn,
  }
}

/**
 * PUT .../taskdefs/{taskdef}/schedules/{name}: the schedule's whole new definition (the body of a
 * create; without `revision` it moves to the family's latest ACTIVE revision). The role's policy is
 * brought up to date first; a failure puts back both.
 */
export async function updateSchedule(
  ctx: ScheduleContext,
  cluster: string,
  taskdef: string,
  name: string,
  body: unknown,
): Promise<ScheduleJson> {
  const input = readScheduleBody(body, { pathName: name, now: new Date() })
  return exclusivelyInSpace(ctx, cluster, async () => {
    const pathTarget = await requireScheduleTarget(ctx, cluster, taskdef)
    const existing = await requireFamilySchedule(ctx, pathTarget, input.name)
    const target = input.revision === undefined ? pathTarget : await requireScheduleTarget(ctx, cluster, taskdef, input.revision)
    if (target.taskDefinition.taskDefinition.status !== 'ACTIVE') {
      throw new InputError(`revision ${target.ref.ref} is deregistered and cannot run`, { details: { field: 'revision' } })
    }
    namingField(() => checkOverrides(input.overrides, target.taskDefinition.taskDefinition))
    const scope = { ...(await scheduleScope(ctx, input, target)), previous: definitionOf(existing) }
    await updateScheduleWorkflow.run(scope, runOptions(ctx)).catch((err: unknown) =>
      handOverLeftovers(ctx, scope, err, { taskDefinition: target.ref.family }),
    )
    const updated = await ctx.scheduler.getSchedule(target.groupName, input.name)
    if (!updated) throw new UpstreamError(`schedule ${input.name} was updated but Scheduler does not return it`)
    return scheduleJson(updated, new Date())
  })
}

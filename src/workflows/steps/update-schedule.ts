/**
 * Step `update-schedule`: puts the new definition of an existing schedule, run by the scheduler
 * role. Rollback puts back the definition it replaced, unless the schedule is gone by then.
 */
import { schedulerApi, type ScheduleDefinition } from '../../aws/scheduler.js'
import { defineStep, type StepContext } from '../step.js'
import { ensureSchedulerRole } from './ensure-scheduler-role.js'
import type { ScheduleScope } from './schedule-scope.js'

export const UPDATE_SCHEDULE_STEP = 'update-schedule'

/** An update workflow's scope: the definition the schedule had before, to put back on failure. */
export interface ScheduleUpdateScope extends ScheduleScope {
  readonly previous: ScheduleDefinition
}

export const updateSchedule = defineStep({
  id: UPDATE_SCHEDULE_STEP,
  dependsOn: [ensureSchedulerRole],
  async invoke(ctx: StepContext<ScheduleUpdateScope>) {
    const { scope } = ctx
    const { roleArn } = ctx.outputOf(ensureSchedulerRole)
    await schedulerApi(scope.account.clients.scheduler).updateSchedule({
      ...scope.schedule,
      GroupName: scope.groupName,
      Target: { ...scope.schedule.Target, RoleArn: roleArn },
    })
    return { output: { name: scope.schedule.Name ?? '' }, compensation: scope.previous }
  },
  async compensate(previous: ScheduleDefinition, ctx) {
    const scheduler = schedulerApi(ctx.scope.account.clients.scheduler)
    if (!(await scheduler.getSchedule(previous.GroupName ?? '', previous.Name ?? ''))) return
    await scheduler.updateSchedule(previous)
  },
})

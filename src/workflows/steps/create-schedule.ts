/**
 * Step `create-schedule`: the schedule in the space's group, run by the scheduler role. Rollback
 * deletes it (a schedule already gone is fine).
 */
import { schedulerApi } from '../../aws/scheduler.js'
import { defineStep, type StepContext } from '../step.js'
import { ensureScheduleGroup } from './ensure-schedule-group.js'
import { ensureSchedulerRole } from './ensure-scheduler-role.js'
import type { ScheduleScope } from './schedule-scope.js'

export const CREATE_SCHEDULE_STEP = 'create-schedule'

export const createSchedule = defineStep({
  id: CREATE_SCHEDULE_STEP,
  dependsOn: [ensureScheduleGroup, ensureSchedulerRole],
  async invoke(ctx: StepContext<ScheduleScope>) {
    const { scope } = ctx
    const { roleArn } = ctx.outputOf(ensureSchedulerRole)
    const { groupName } = ctx.outputOf(ensureScheduleGroup)
    const name = scope.schedule.Name ?? ''
    const scheduleArn = await schedulerApi(scope.account.clients.scheduler).createSchedule({
      ...scope.schedule,
      GroupName: groupName,
      Target: { ...scope.schedule.Target, RoleArn: roleArn },
    })
    return { output: { scheduleArn, name, groupName }, compensation: { groupName, name } }
  },
  async compensate(undo: { groupName: string; name: string }, ctx) {
    await schedulerApi(ctx.scope.account.clients.scheduler).deleteSchedule(undo.groupName, undo.name)
  },
})

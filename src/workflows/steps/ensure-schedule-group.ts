/**
 * Step `ensure-schedule-group`: the space's schedule group, created with the org and space tags
 * when missing. A group of that name that is not the org's space's is a 404 (it does not exist for
 * this API and is never used or changed). Rollback deletes the group only if this run created it and
 * it holds no schedule.
 */
import { schedulerApi } from '../../aws/scheduler.js'
import { NotFoundError } from '../../core/errors.js'
import { isSpaceGroup } from '../resources/scheduling.js'
import { defineStep, type StepContext } from '../step.js'
import type { ScheduleScope } from './schedule-scope.js'

export const ENSURE_SCHEDULE_GROUP_STEP = 'ensure-schedule-group'

export const ensureScheduleGroup = defineStep({
  id: ENSURE_SCHEDULE_GROUP_STEP,
  async invoke(ctx: StepContext<ScheduleScope>) {
    const { scope } = ctx
    const scheduler = schedulerApi(scope.account.clients.scheduler)
    const existing = await scheduler.getGroup(scope.groupName)
    if (existing) {
      if (!isSpaceGroup(existing.tags, scope.org, scope.clusterName)) {
        throw new NotFoundError(`schedule group ${scope.groupName} not found in org ${scope.org}, and the name is in use in this account`)
      }
      return { output: { groupName: scope.groupName, groupArn: existing.arn }, skipped: true as const }
    }
    const groupArn = await scheduler.createGroup(scope.groupName, scope.tags)
    return { output: { groupName: scope.groupName, groupArn }, compensation: { groupName: scope.groupName } }
  },
  async compensate(undo: { groupName: string }, ctx) {
    const scheduler = schedulerApi(ctx.scope.account.clients.scheduler)
    // Deleting a group deletes its schedules: one that holds any is no longer only this run's.
    if ((await scheduler.listScheduleNames(undo.groupName)).length > 0) return
    await scheduler.deleteGroup(undo.groupName)
  },
})

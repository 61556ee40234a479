import { deleteSpaceSchedules } from '../../workflows/cleanup/delete-space-schedules.js'
import { exclusivelyInSpace } from '../space-lease.js'
import type { ScheduleContext } from './context.js'
import { checkScheduleName } from './schedule-input.js'
import { requireFamilySchedule, requireScheduleTarget } from './space-schedules.js'

/**
 * DELETE .../taskdefs/{taskdef}/schedules/{name}: deletes the schedule, then the space's group when
 * it was the last one and the cluster's scheduler role when no schedule uses it any more.
 */
export async function deleteSchedule(ctx: ScheduleContext, cluster: string, taskdef: string, name: string): Promise<void> {
  checkScheduleName(name)
  await exclusivelyInSpace(ctx, cluster, async () => {
    const target = await requireScheduleTarget(ctx, cluster, taskdef)
    await requireFamilySchedule(ctx, target, name)
    await deleteSpaceSchedules(ctx.account, { org: ctx.org, cluster, family: target.ref.family, name })
  })
}

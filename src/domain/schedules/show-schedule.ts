import type { ScheduleContext } from './context.js'
import { scheduleJson, type ScheduleJson } from './responses.js'
import { checkScheduleName } from './schedule-input.js'
import { requireFamilySchedule, requireScheduleTarget } from './space-schedules.js'

/** GET .../taskdefs/{taskdef}/schedules/{name}: one schedule of the family with its next runs. */
export async function showSchedule(ctx: ScheduleContext, cluster: string, taskdef: string, name: string): Promise<ScheduleJson> {
  checkScheduleName(name)
  const target = await requireScheduleTarget(ctx, cluster, taskdef)
  return scheduleJson(await requireFamilySchedule(ctx, target, name), new Date())
}

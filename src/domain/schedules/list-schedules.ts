import type { ScheduleContext } from './context.js'
import { scheduleJson, type ScheduleJson } from './responses.js'
import { familySchedules, requireScheduleTarget } from './space-schedules.js'

/** GET .../taskdefs/{taskdef}/schedules: the space's schedules of the family, by name. */
export async function listSchedules(ctx: ScheduleContext, cluster: string, taskdef: string): Promise<ScheduleJson[]> {
  const target = await requireScheduleTarget(ctx, cluster, taskdef)
  const now = new Date()
  return (await familySchedules(ctx, target)).map((s) => scheduleJson(s, now))
}

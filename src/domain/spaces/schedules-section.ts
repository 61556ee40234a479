import { schedulerApi, type Schedule } from '../../aws/scheduler.js'
import type { JsonValue } from '../../codec/index.js'
import { NotFoundError } from '../../core/errors.js'
import { scheduleFamily, spaceSchedules } from '../../workflows/cleanup/delete-space-schedules.js'
import { isSpaceGroup, scheduleGroupName } from '../../workflows/resources/scheduling.js'
import { scheduleJson } from '../schedules/responses.js'
import type { SpaceFacts, SpaceSection, SpaceSectionParts } from './summary-sections.js'

/** GetSchedule calls in flight at once: a space's schedules in one round up to this many. */
const SCHEDULE_FAN_OUT = 20

/**
 * `Schedules` of each task-definition family: the space's schedules that run it, by name, with their
 * next runs. Two calls deep: the group's ownership (GetScheduleGroup, then its tags) is read beside
 * its schedules (ListSchedules, then GetSchedule each), and what was read is shown only when the
 * group is the org's space's; another org's group of that name, or none, shows no schedules.
 */
export const schedulesSection: SpaceSection = {
  key: 'Schedules',
  async build({ ctx, space }: SpaceFacts): Promise<SpaceSectionParts> {
    const scheduler = schedulerApi(ctx.account.clients.scheduler)
    const groupName = scheduleGroupName(ctx.org, space)
    const [group, schedules] = await Promise.all([
      scheduler.getGroup(groupName),
      spaceSchedules(ctx.account, groupName, SCHEDULE_FAN_OUT).catch((err: unknown) => {
        // A group that is not there has no schedules (some endpoints say so with a 404).
        if (err instanceof NotFoundError) return []
        throw err
      }),
    ])
    if (!group || !isSpaceGroup(group.tags, ctx.org, space)) return {}
    return { families: byFamily(schedules, new Date()) }
  },
}

/** The schedules' answers grouped by the family they run, each family's by name. */
function byFamily(schedules: readonly Schedule[], now: Date): ReadonlyMap<string, JsonValue> {
  const families = new Map<string, JsonValue[]>()
  const sorted = [...schedules].sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''))
  for (const schedule of sorted) {
    const family = scheduleFamily(schedule)
    if (family === undefined) continue
    const { Name, Expression, Timezone, State, NextRuns } = scheduleJson(schedule, now)
    families.set(family, [...(families.get(family) ?? []), { Name, Expression, Timezone, State, NextRuns }])
  }
  return families
}

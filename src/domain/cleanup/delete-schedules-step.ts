import type { OperationStep } from '../../operations/index.js'
import { deleteSpaceSchedules, type ScheduleCleanup } from '../../workflows/cleanup/delete-space-schedules.js'
import { holdSpaceLease } from '../space-lease.js'
import { reportCleanup } from './report-cleanup.js'

/** What a schedule cleanup did, as the operation's events say it. */
function said(done: ScheduleCleanup): string[] {
  if (done.deleted.length === 0 && !done.groupDeleted) return []
  return [
    `deleted ${done.deleted.length} schedule(s)` +
      (done.groupDeleted ? ' and the schedule group' : '') +
      (done.roleDeleted ? ' and the scheduler role' : ''),
  ]
}

/**
 * A step of a family's delete: the space's schedules of the family go (they could never run
 * again), then the group and the scheduler role when nothing uses them. Holds the space's lease,
 * since a schedule create of the space may be making that group or role now.
 */
export function deleteSpaceSchedulesStep<Input extends { org: string; cluster: string; family: string }>(): OperationStep<Input> {
  return {
    id: 'delete-schedules',
    run: async (ctx): Promise<ScheduleCleanup> =>
      holdSpaceLease(
        ctx.leases,
        { account: ctx.account.name, cluster: ctx.input.cluster },
        () => reportCleanup((m) => ctx.event(m), () => deleteSpaceSchedules(ctx.account, ctx.input), said),
        { signal: ctx.signal },
      ),
  }
}

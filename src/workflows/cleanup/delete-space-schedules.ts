import type { Account } from '../../aws/account-clients.js'
import { familyOfArn } from '../../aws/ecs.js'
import { iamApi } from '../../aws/iam.js'
import { schedulerApi, type Schedule } from '../../aws/scheduler.js'
import { mapWithConcurrency, settleWithConcurrency } from '../../core/concurrency.js'
import { isSpaceGroup, scheduleGroupName, schedulerRoleName } from '../resources/scheduling.js'
import { IncompleteCleanupError } from './incomplete.js'

/** GetSchedule / DeleteSchedule calls in flight at once. */
const CONCURRENCY = 4

export interface ScheduleCleanup {
  /** Names of the schedules this call deleted. */
  deleted: string[]
  groupDeleted: boolean
  roleDeleted: boolean
}

/** The family a schedule runs, from its target's task definition ARN. */
export function scheduleFamily(schedule: Schedule): string | undefined {
  const arn = schedule.Target?.EcsParameters?.TaskDefinitionArn
  return arn === undefined ? undefined : familyOfArn(arn)
}

/**
 * The schedules of the space's group, each described (names of ones gone meanwhile left out);
 * `concurrency` GetSchedule calls at once.
 */
export async function spaceSchedules(account: Account, groupName: string, concurrency = CONCURRENCY): Promise<Schedule[]> {
  const scheduler = schedulerApi(account.clients.scheduler)
  const names = await scheduler.listScheduleNames(groupName)
  const described = await mapWithConcurrency(names, (name) => scheduler.getSchedule(groupName, name), concurrency)
  return described.filter((s): s is Schedule => s !== undefined)
}

/**
 * Deletes the space's schedules of `family` (every schedule of the space without one; only the one
 * called `name` with it), then the
 * space's group when no schedule is left in it and the cluster's scheduler role when no schedule
 * left runs with it. A group of that name that is not the org's space's is never touched. Safe to
 * run again: what is gone is skipped. Schedules that could not be deleted are an
 * `IncompleteCleanupError` whose `done` says what was.
 */
export async function deleteSpaceSchedules(
  account: Account,
  target: { org: string; cluster: string; family?: string | undefined; name?: string | undefined },
): Promise<ScheduleCleanup> {
  const scheduler = schedulerApi(account.clients.scheduler)
  const groupName = scheduleGroupName(target.org, target.cluster)
  const roleName = schedulerRoleName(target.cluster)
  const group = await scheduler.getGroup(groupName)
  const ours = group !== undefined && isSpaceGroup(group.tags, target.org, target.cluster)
  const schedules = ours ? await spaceSchedules(account, groupName) : []
  const doomed = schedules.filter(
    (s) => (target.family === undefined || scheduleFamily(s) === target.family) && (target.name === undefined || s.Name === target.name),
  )
  const deleting = await settleWithConcurrency(doomed, (s) => scheduler.deleteSchedule(groupName, s.Name ?? ''), CONCURRENCY)
  const deleted = deleting.flatMap((o) => (o.ok ? [o.item.Name ?? ''] : []))
  const failed = deleting.flatMap((o) => (o.ok ? [] : [{ name: o.item.Name ?? '', error: o.error }]))
  const gone = new Set(deleted)
  const left = schedules.filter((s) => !gone.has(s.Name ?? ''))

  let groupDeleted = false
  if (ours && left.length === 0) {
    await scheduler.deleteGroup(groupName)
    groupDeleted = true
  }
  let roleDeleted = false
  const roleInUse = left.some((s) => s.Target?.RoleArn?.endsWith(`:role/${roleName}`) === true)
  // A foreign group of our name says nothing about our role; only our own schedules keep it.
  if (!roleInUse) {
    await iamApi(account.clients.iam).deleteRole(roleName)
    roleDeleted = true
  }
  const done: ScheduleCleanup = { deleted, groupDeleted, roleDeleted }
  if (failed.length > 0) {
    throw new IncompleteCleanupError(done, `could not delete the schedules ${failed.map((f) => f.name).join(', ')}`, failed.map((f) => f.error))
  }
  return done
}

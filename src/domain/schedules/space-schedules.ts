import type { Cluster } from '@aws-sdk/client-ecs'
import type { Schedule } from '../../aws/scheduler.js'
import type { TaskDefinitionWithTags } from '../../aws/ecs.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { InputError, NotFoundError } from '../../core/errors.js'
import { scheduleFamily, spaceSchedules } from '../../workflows/cleanup/delete-space-schedules.js'
import { isSpaceGroup, scheduleGroupName } from '../../workflows/resources/scheduling.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef, type TaskDefinitionRef } from '../../core/task-definition-ref.js'
import type { ScheduleContext } from './context.js'

/** The org's cluster and task definition a schedule route names, both checked (404 otherwise). */
export interface ScheduleTarget {
  cluster: Cluster
  clusterName: string
  ref: TaskDefinitionRef
  taskDefinition: TaskDefinitionWithTags
  groupName: string
}

/**
 * The cluster and the task definition of the path, when they are the org's and the task definition
 * lives in that space; `revision` (of the body) picks a revision of the path's family.
 */
export async function requireScheduleTarget(
  ctx: ScheduleContext,
  clusterName: string,
  taskdef: string,
  revision?: number,
): Promise<ScheduleTarget> {
  const path = parseTaskDefinitionRef(taskdef)
  if (revision !== undefined && path.revision !== undefined && path.revision !== revision) {
    throw new InputError(`revision ${revision} differs from the path's revision ${path.revision}`, { details: { field: 'revision' } })
  }
  // A path that names a revision already says which one (the same, checked above); keeping it keeps
  // an ARN's account and region, which `family:revision` would drop, so another account's ARN stays a 404.
  const ref = revision === undefined || path.revision !== undefined ? path : parseTaskDefinitionRef(`${path.family}:${revision}`)
  const [cluster, taskDefinition] = await Promise.all([
    requireOrgCluster(ctx.ecs, clusterName, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, clusterName),
  ])
  return { cluster, clusterName, ref, taskDefinition, groupName: scheduleGroupName(ctx.org, clusterName) }
}

/**
 * Whether the space's group exists and is the org's space's. A group of that name of another org
 * (or of none) is treated as missing: it is never read or changed through this API.
 */
export async function ownGroupExists(ctx: ScheduleContext, target: ScheduleTarget): Promise<boolean> {
  const group = await ctx.scheduler.getGroup(target.groupName)
  return group !== undefined && isSpaceGroup(group.tags, ctx.org, target.clusterName)
}

/** The space's schedules of the path's family (none when the space has no group of its own). */
export async function familySchedules(ctx: ScheduleContext, target: ScheduleTarget): Promise<Schedule[]> {
  if (!(await ownGroupExists(ctx, target))) return []
  const all = await spaceSchedules(ctx.account, target.groupName)
  return all.filter((s) => scheduleFamily(s) === target.ref.family).sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''))
}

/** The space's schedule of that name running the path's family; 404 otherwise. */
export async function requireFamilySchedule(ctx: ScheduleContext, target: ScheduleTarget, name: string): Promise<Schedule> {
  const notFound = () => new NotFoundError(`schedule ${name} of task definition ${target.ref.family} not found in cluster ${target.clusterName}`)
  if (!(await ownGroupExists(ctx, target))) throw notFound()
  const schedule = await ctx.scheduler.getSchedule(target.groupName, name)
  if (!schedule || scheduleFamily(schedule) !== target.ref.family) throw notFound()
  return schedule
}

import { ConflictError, InputError, NotFoundError, UpstreamError } from '../../core/errors.js'
import { runScheduleCreate } from '../../workflows/schedule-create.js'
import { checkOverrides } from '../tasks/task-launch.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { runOptions } from '../use-case-context.js'
import type { ScheduleContext } from './context.js'
import { scheduleJson, type ScheduleJson } from './responses.js'
import { namingField, readScheduleBody } from './schedule-input.js'
import { scheduleScope } from './scope.js'
import { requireScheduleTarget } from './space-schedules.js'
import { isSpaceGroup } from '../../workflows/resources/scheduling.js'

/**
 * POST .../taskdefs/{taskdef}/schedules: a schedule of the org's task definition in the space's
 * group, run by the cluster's scheduler role (group and role made when missing). Everything is
 * checked before the first write; a failure undoes what the run made and says so.
 */
export async function createSchedule(ctx: ScheduleContext, cluster: string, taskdef: string, body: unknown): Promise<ScheduleJson> {
  const input = readScheduleBody(body, { now: new Date() })
  // Group and role are shared by the space's requests: made (or undone) by one at a time.
  return exclusivelyInSpace(ctx, cluster, async () => {
    const target = await requireScheduleTarget(ctx, cluster, taskdef, input.revision)
    if (target.taskDefinition.taskDefinition.status !== 'ACTIVE') {
      throw new InputError(`revision ${target.ref.ref} is deregistered and cannot run`, { details: { field: 'revision' } })
    }
    namingField(() => checkOverrides(input.overrides, target.taskDefinition.taskDefinition))
    const group = await ctx.scheduler.getGroup(target.groupName)
    if (group && !isSpaceGroup(group.tags, ctx.org, cluster)) {
      throw new NotFoundError(`schedule group ${target.groupName} not found in org ${ctx.org}, and the name is in use in this account`)
    }
    if (group && (await ctx.scheduler.getSchedule(target.groupName, input.name))) {
      throw new ConflictError(`schedule ${input.name} already exists in cluster ${cluster}`, { details: { field: 'name' } })
    }
    const scope = await scheduleScope(ctx, input, target)
    await runScheduleCreate(scope, runOptions(ctx)).catch((err: unknown) =>
      // What the rollback could not undo goes to a tracked operation that the error names.
      handOverLeftovers(ctx, scope, err, { taskDefinition: target.ref.family }),
    )
    const created = await ctx.scheduler.getSchedule(target.groupName, input.name)
    if (!created) throw new UpstreamError(`schedule ${input.name} was created but Scheduler does not return it`)
    return scheduleJson(created, new Date())
  })
}

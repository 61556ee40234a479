import type { TaskDefContext } from '../taskdefs/context.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { requireOrgTask } from './org-task.js'

/** DELETE .../tasks/{task}: stops the org's task. A service will start a replacement for one of its tasks. */
export async function stopTask(
  ctx: TaskDefContext,
  cluster: string,
  task: string,
  options: { reason?: string | undefined; taskdef?: string | undefined } = {},
): Promise<void> {
  const family = options.taskdef === undefined ? undefined : parseTaskDefinitionRef(options.taskdef)
  const found = await requireOrgTask(ctx, cluster, task, family)
  await ctx.ecs.stopTask(cluster, found.taskArn ?? task, options.reason)
}

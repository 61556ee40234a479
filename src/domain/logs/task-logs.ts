import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { requireOrgTask } from '../tasks/org-task.js'
import type { LogsContext } from './context.js'
import type { LogsPlan } from './logs-plan.js'
import { parseMergedQuery, type RawMergedQuery } from './merged-query.js'
import { taskDefinitionsOf } from './service-tasks.js'
import { streamsOfTasks, taskIdOf } from './task-streams.js'

/**
 * GET .../clusters/{cluster}/tasks/{task}/logs: every container of one task of the org's space (or
 * `container`), in the merged form. A task of another org or space is a 404.
 */
export async function planTaskLogs(
  ctx: LogsContext,
  cluster: string,
  taskRef: string,
  raw: RawMergedQuery,
  lastEventId?: string,
): Promise<LogsPlan> {
  const query = parseMergedQuery(raw, 'task', lastEventId)
  const definitions = new Map<string, TaskDefinition>()
  const look = async () => {
    const task = await requireOrgTask(ctx, cluster, taskRef)
    await taskDefinitionsOf(ctx, [task], definitions)
    return {
      streams: streamsOfTasks([task], definitions, query.container, `task ${taskIdOf(task)}`),
      taskIds: [taskIdOf(task)],
      finished: task.lastStatus === 'STOPPED',
    }
  }
  const now = await look()
  return { query, ...now, refresh: look }
}

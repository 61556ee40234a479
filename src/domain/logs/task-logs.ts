import type { Task } from '@aws-sdk/client-ecs'
import { requireOrgTask } from '../tasks/org-task.js'
import type { LogsContext } from './context.js'
import type { LogsPlan } from './logs-plan.js'
import { parseMergedQuery, type RawMergedQuery } from '../../core/logs/merged-query.js'
import { TaskDefinitions } from './service-tasks.js'
import { streamsOfTasks, taskIdOf } from '../../core/logs/task-streams.js'

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
  const task = await requireOrgTask(ctx, cluster, taskRef)
  const definitions = await new TaskDefinitions(ctx).of([task])
  const streams = streamsOfTasks([task], definitions, query.container, `task ${taskIdOf(task)}`)
  const taskIds = [taskIdOf(task)]
  const finishedOf = (t: Task | undefined) => !t || t.lastStatus === 'STOPPED'
  return {
    query,
    streams,
    taskIds,
    finished: finishedOf(task),
    // The task's ownership was settled above; a follow only needs to learn when it stopped.
    refresh: async () => {
      const { tasks } = await ctx.ecs.describeTasks(cluster, [task.taskArn ?? taskIdOf(task)])
      return { streams, taskIds, finished: finishedOf(tasks[0]) }
    },
  }
}

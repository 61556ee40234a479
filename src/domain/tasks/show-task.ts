import type { TaskDefContext } from '../taskdefs/context.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { requireOrgTask } from './org-task.js'
import { tasksOutput, type TasksOutput } from './task-output.js'

/** GET .../tasks/{task} (optionally under a `{taskdef}`): the org's task as `{Tasks, Failures}`. */
export async function showTask(ctx: TaskDefContext, cluster: string, task: string, taskdef?: string): Promise<TasksOutput> {
  const family = taskdef === undefined ? undefined : parseTaskDefinitionRef(taskdef)
  return tasksOutput([await requireOrgTask(ctx, cluster, task, family)])
}

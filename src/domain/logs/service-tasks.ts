import type { DesiredStatus, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import { fieldError, NotFoundError } from '../../core/errors.js'
import type { ServiceContext } from '../services/context.js'
import { serviceTaskDefinition } from '../services/find-service.js'
import type { TaskSelection } from './merged-query.js'
import { taskIdOf } from './task-streams.js'

/** Whether ECS ran `task` for `service` (its group is `service:<name>`). */
export function isServiceTask(task: Task, service: Service): boolean {
  return task.group === `service:${service.serviceName ?? ''}`
}

/** When a task stopped, as well as ECS says it (moto records no times: then 0). */
export function stoppedAtOf(task: Task): number {
  return (task.stoppedAt ?? task.executionStoppedAt ?? task.stoppingAt ?? task.createdAt)?.getTime() ?? 0
}

/** The service's tasks of one desired status, described (ListTasks' service filter is checked again by group). */
export async function serviceTasks(ctx: ServiceContext, cluster: string, service: Service, status: DesiredStatus): Promise<Task[]> {
  const arns = await ctx.ecs.listTaskArns({ cluster, serviceName: service.serviceName ?? '', desiredStatus: status })
  const { tasks } = await ctx.ecs.describeTasks(cluster, arns)
  return tasks.filter((t) => isServiceTask(t, service))
}

/**
 * The tasks a selection names. Listed ids that ECS does not know as the service's are a 400 naming
 * `tasks`; the single `task` keeps the single-stream form's rules (another service's task is a 404,
 * one ECS has forgotten is read through the service's current revision).
 */
export async function selectTasks(ctx: ServiceContext, cluster: string, service: Service, selection: TaskSelection): Promise<Task[]> {
  switch (selection.kind) {
    case 'running':
    case 'stopped':
      return serviceTasks(ctx, cluster, service, selection.kind === 'running' ? 'RUNNING' : 'STOPPED')
    case 'all': {
      const [running, stopped] = await Promise.all([
        serviceTasks(ctx, cluster, service, 'RUNNING'),
        serviceTasks(ctx, cluster, service, 'STOPPED'),
      ])
      const seen = new Set(running.map((t) => t.taskArn))
      return [...running, ...stopped.filter((t) => !seen.has(t.taskArn))]
    }
    case 'previous': {
      const stopped = await serviceTasks(ctx, cluster, service, 'STOPPED')
      const latest = stopped.reduce<Task | undefined>((best, t) => (!best || stoppedAtOf(t) > stoppedAtOf(best) ? t : best), undefined)
      if (!latest) throw new NotFoundError(`service ${service.serviceName ?? ''} has no stopped task that ECS still remembers`)
      return [latest]
    }
    case 'ids': {
      const { tasks } = await ctx.ecs.describeTasks(cluster, selection.ids)
      const byId = new Map(tasks.map((t) => [taskIdOf(t), t]))
      for (const id of selection.ids) {
        const task = byId.get(id)
        if (!task || !isServiceTask(task, service)) {
          throw fieldError('tasks', `task ${id} is not a task of service ${service.serviceName ?? ''}`)
        }
      }
      return selection.ids.map((id) => byId.get(id)!)
    }
    case 'one': {
      const { tasks } = await ctx.ecs.describeTasks(cluster, [selection.id])
      const task = tasks[0]
      if (task && !isServiceTask(task, service)) {
        throw new NotFoundError(`task ${selection.id} is not a task of service ${service.serviceName ?? ''}`)
      }
      return [task ?? { taskArn: selection.id, taskDefinitionArn: service.taskDefinition, lastStatus: 'STOPPED' }]
    }
  }
}

/** The task definitions the tasks ran, described side by side; `known` ones are not asked for again. */
export async function taskDefinitionsOf(
  ctx: ServiceContext,
  tasks: readonly Task[],
  known: Map<string, TaskDefinition> = new Map(),
): Promise<Map<string, TaskDefinition>> {
  const missing = [...new Set(tasks.map((t) => t.taskDefinitionArn ?? ''))].filter((arn) => arn !== '' && !known.has(arn))
  const found = await Promise.all(missing.map(async (arn) => [arn, await serviceTaskDefinition(ctx, arn)] as const))
  for (const [arn, td] of found) known.set(arn, td)
  return known
}

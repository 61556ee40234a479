import type { DesiredStatus, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import { fieldError, NotFoundError } from '../../core/errors.js'
import type { ServiceContext } from '../services/context.js'
import { serviceTaskDefinition } from '../services/find-service.js'
import type { TaskSelection } from '../../core/logs/merged-query.js'
import { taskIdOf } from '../../core/logs/task-streams.js'

/** Whether ECS ran `task` for `service` (its group is `service:<name>`). */
export function isServiceTask(task: Task, service: Service): boolean {
  return task.group === `service:${service.serviceName ?? ''}`
}

/** When a task stopped, as well as ECS says it (moto records no times: then 0). */
export function stoppedAtOf(task: Task): number {
  return (task.stoppedAt ?? task.executionStoppedAt ?? task.stoppingAt ?? task.createdAt)?.getTime() ?? 0
}

/** Task ARNs of the service by desired status, listed before the service was checked (see `prelist`). */
export type Listed = ReadonlyMap<DesiredStatus, Promise<string[]>>

/**
 * Starts the ListTasks calls a selection needs, by the service's name from the path, so they run
 * alongside the service's org check; their answers are read only once that check passed.
 */
export function prelist(ctx: ServiceContext, cluster: string, name: string, selection: TaskSelection): Listed {
  const statuses: DesiredStatus[] =
    selection.kind === 'running' ? ['RUNNING'] : selection.kind === 'all' ? ['RUNNING', 'STOPPED'] : selection.kind === 'stopped' || selection.kind === 'previous' ? ['STOPPED'] : []
  const serviceName = name.slice(name.lastIndexOf('/') + 1)
  return new Map(
    statuses.map((status) => {
      const arns = ctx.ecs.listTaskArns({ cluster, serviceName, desiredStatus: status })
      // Its rejection is rethrown where it is read; this keeps it from being unhandled meanwhile.
      arns.catch(() => undefined)
      return [status, arns] as const
    }),
  )
}

/** The service's tasks of one desired status, described (ListTasks' service filter is checked again by group). */
export async function serviceTasks(ctx: ServiceContext, cluster: string, service: Service, status: DesiredStatus, listed?: Listed): Promise<Task[]> {
  const arns = await (listed?.get(status) ?? ctx.ecs.listTaskArns({ cluster, serviceName: service.serviceName ?? '', desiredStatus: status }))
  const { tasks } = await ctx.ecs.describeTasks(cluster, arns)
  return tasks.filter((t) => isServiceTask(t, service))
}

/**
 * The tasks a selection names. Listed ids that ECS does not know as the service's are a 400 naming
 * `tasks`; the single `task` keeps the single-stream form's rules (another service's task is a 404,
 * one ECS has forgotten is read through the service's current revision).
 */
export async function selectTasks(
  ctx: ServiceContext,
  cluster: string,
  service: Service,
  selection: TaskSelection,
  listed?: Listed,
): Promise<Task[]> {
  switch (selection.kind) {
    case 'running':
    case 'stopped':
      return serviceTasks(ctx, cluster, service, selection.kind === 'running' ? 'RUNNING' : 'STOPPED', listed)
    case 'all': {
      const [running, stopped] = await Promise.all([
        serviceTasks(ctx, cluster, service, 'RUNNING', listed),
        serviceTasks(ctx, cluster, service, 'STOPPED', listed),
      ])
      const seen = new Set(running.map((t) => t.taskArn))
      return [...running, ...stopped.filter((t) => !seen.has(t.taskArn))]
    }
    case 'previous': {
      const stopped = await serviceTasks(ctx, cluster, service, 'STOPPED', listed)
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

/** Task definitions by ARN, each described once per request (a follow's rounds reuse them). */
export class TaskDefinitions {
  readonly #found = new Map<string, Promise<TaskDefinition>>()
  constructor(private readonly ctx: ServiceContext) {}

  /** Starts describing `arn` unless it was; the answer is awaited through `of`. */
  describe(arn: string): Promise<TaskDefinition> {
    let found = this.#found.get(arn)
    if (!found) {
      found = serviceTaskDefinition(this.ctx, arn)
      found.catch(() => undefined)
      this.#found.set(arn, found)
    }
    return found
  }

  /** The task definitions the tasks ran, described side by side. */
  async of(tasks: readonly Pick<Task, 'taskDefinitionArn'>[]): Promise<Map<string, TaskDefinition>> {
    const arns = [...new Set(tasks.map((t) => t.taskDefinitionArn ?? ''))].filter((arn) => arn !== '')
    return new Map(await Promise.all(arns.map(async (arn) => [arn, await this.describe(arn)] as const)))
  }
}

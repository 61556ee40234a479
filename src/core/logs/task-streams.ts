import type { ContainerDefinition, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import { NotFoundError } from '../errors.js'

/** Where a container's awslogs driver writes: group and stream prefix from its log configuration. */
export function awslogsTarget(container: ContainerDefinition | undefined): { group: string; prefix: string } | undefined {
  const log = container?.logConfiguration
  const group = log?.options?.['awslogs-group']
  const prefix = log?.options?.['awslogs-stream-prefix']
  if (log?.logDriver !== 'awslogs' || !group || !prefix) return undefined
  return { group, prefix }
}

/** One container's log stream in one task, as ECS's awslogs driver names it: `<prefix>/<container>/<task id>`. */
export interface TaskStream {
  group: string
  stream: string
  taskId: string
  container: string
}

/** `abc` of `arn:...:task/cluster/abc`, `cluster/abc` or `abc`. */
export function taskIdOf(task: Pick<Task, 'taskArn'>): string {
  const arn = task.taskArn ?? ''
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/**
 * The streams of a task's containers that log to CloudWatch Logs (or of `container` only). Containers
 * with another log driver have no stream to read and are left out.
 */
export function taskStreams(task: Pick<Task, 'taskArn'>, taskDefinition: TaskDefinition, container?: string): TaskStream[] {
  const taskId = taskIdOf(task)
  const streams: TaskStream[] = []
  for (const def of taskDefinition.containerDefinitions ?? []) {
    if (!def.name || (container !== undefined && def.name !== container)) continue
    const target = awslogsTarget(def)
    if (target) streams.push({ group: target.group, stream: `${target.prefix}/${def.name}/${taskId}`, taskId, container: def.name })
  }
  return streams
}

/**
 * The streams of every task (each with its own revision's log configuration). A `container` that no
 * revision has, or that logs elsewhere, is a 404 as on the single-stream form.
 */
export function streamsOfTasks(
  tasks: readonly Pick<Task, 'taskArn' | 'taskDefinitionArn'>[],
  definitions: ReadonlyMap<string, TaskDefinition>,
  container: string | undefined,
  owner: string,
): TaskStream[] {
  const streams = tasks.flatMap((task) => {
    const td = definitions.get(task.taskDefinitionArn ?? '')
    return td ? taskStreams(task, td, container) : []
  })
  if (container !== undefined && streams.length === 0 && tasks.length > 0) {
    const known = [...definitions.values()].some((td) => td.containerDefinitions?.some((c) => c.name === container))
    throw new NotFoundError(
      known
        ? `container ${container} does not log to CloudWatch Logs (awslogs)`
        : `container ${container} is not part of ${owner}`,
    )
  }
  return streams
}

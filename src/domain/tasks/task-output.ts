import type { Failure, Task } from '@aws-sdk/client-ecs'
import { Failure$, Task$ } from '../../aws/sdk/ecs.js'
import { revisionOfArn } from '../../aws/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'

export interface TasksOutput {
  Tasks: JsonValue[]
  Failures: JsonValue[]
}

/** ECS tasks in PascalCase, each with the `Revision` of its task definition (0 when unreadable). */
export function tasksOutput(tasks: readonly Task[], failures: readonly Failure[] = []): TasksOutput {
  return {
    Tasks: tasks.map((task) => {
      const json = encode(Task$, task) as Record<string, JsonValue>
      return { ...json, Revision: revisionOfArn(task.taskDefinitionArn) }
    }),
    Failures: failures.map((f) => encode(Failure$, f)),
  }
}

/** `<cluster>/<taskId>` of `arn:aws:ecs:region:account:task/<cluster>/<taskId>` (the resource after `task/`). */
export function clusterTaskId(arn: string): string {
  const resource = arn.split(':').slice(5).join(':')
  const slash = resource.indexOf('/')
  return slash === -1 ? resource : resource.slice(slash + 1)
}

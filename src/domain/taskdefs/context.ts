import { ecsApi, type Ecs } from '../../aws/ecs.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the task-definition and task use cases need: the request's context and its account's ECS adapter. */
export interface TaskDefContext extends UseCaseContext {
  readonly ecs: Ecs
}

export function taskDefContext(base: UseCaseContext): TaskDefContext {
  return { ...base, ecs: ecsApi(base.account.clients.ecs) }
}

import type { Account } from '../../aws/account-clients.js'
import { ecsApi, type Ecs } from '../../aws/ecs.js'

/** What the task-definition and task use cases need: one account, its ECS adapter and the org we serve. */
export interface TaskDefContext {
  readonly account: Account
  readonly org: string
  readonly ecs: Ecs
}

export function taskDefContext(account: Account, org: string): TaskDefContext {
  return { account, org, ecs: ecsApi(account.clients.ecs) }
}

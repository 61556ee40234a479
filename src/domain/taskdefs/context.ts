import type { Account } from '../../aws/account-clients.js'
import { ecsApi, type Ecs } from '../../aws/ecs.js'
import type { Operations } from '../../operations/index.js'

/** What the task-definition and task use cases need: one account, its ECS adapter and the org we serve. */
export interface TaskDefContext {
  readonly account: Account
  readonly org: string
  readonly ecs: Ecs
  /** Tracked operations, for work that outlives the request (deletes, rollbacks to finish). */
  readonly operations?: Operations | undefined
  readonly requestId?: string | undefined
}

export function taskDefContext(
  account: Account,
  org: string,
  extra: { operations?: Operations | undefined; requestId?: string | undefined } = {},
): TaskDefContext {
  return { account, org, ecs: ecsApi(account.clients.ecs), ...extra }
}

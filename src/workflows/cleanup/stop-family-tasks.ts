import { setTimeout as sleep } from 'node:timers/promises'
import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { settleWithConcurrency } from '../../core/concurrency.js'
import { UpstreamError } from '../../core/errors.js'
import { IncompleteCleanupError } from './incomplete.js'

/** StopTask calls in flight at once. */
const CONCURRENCY = 4

/**
 * Stops every task of the family in the cluster that has not been asked to stop yet (RUNNING or
 * PENDING desired status, every page). Answers the task ARNs it stopped; running it again finds none.
 * Every task is tried; when some could not be stopped it throws an `IncompleteCleanupError` naming
 * them, whose `done` is the ARNs it did stop.
 */
export async function stopFamilyTasks(account: Account, target: { cluster: string; family: string }, reason: string): Promise<string[]> {
  const ecs = ecsApi(account.clients.ecs)
  const [running, pending] = await Promise.all([
    ecs.listTaskArns({ cluster: target.cluster, family: target.family, desiredStatus: 'RUNNING' }),
    ecs.listTaskArns({ cluster: target.cluster, family: target.family, desiredStatus: 'PENDING' }),
  ])
  const tasks = [...new Set([...running, ...pending])]
  const outcomes = await settleWithConcurrency(tasks, (arn) => ecs.stopTask(target.cluster, arn, reason), CONCURRENCY)
  const stopped = outcomes.flatMap((o) => (o.ok ? [o.item] : []))
  const failed = outcomes.flatMap((o) => (o.ok ? [] : [o]))
  if (failed.length > 0) {
    throw new IncompleteCleanupError(stopped, `could not stop the tasks ${failed.map((f) => f.item).join(', ')}`, failed.map((f) => f.error))
  }
  return stopped
}

export interface WaitOptions {
  /** Total time to wait; default 10 minutes (Fargate tasks usually stop within a minute). */
  budgetMs?: number
  signal?: AbortSignal
}

/**
 * Waits until every task has reached STOPPED (or is no longer known to ECS), polling DescribeTasks
 * with doubling pauses (0.5 s up to 15 s). Throws when the budget or the signal ends the wait.
 */
export async function waitForTasksStopped(account: Account, cluster: string, tasks: readonly string[], options: WaitOptions = {}): Promise<void> {
  const ecs = ecsApi(account.clients.ecs)
  const deadline = Date.now() + (options.budgetMs ?? 10 * 60_000)
  let pause = 500
  let left = [...tasks]
  while (left.length > 0) {
    const { tasks: described } = await ecs.describeTasks(cluster, left)
    left = described.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.taskArn ?? '')
    if (left.length === 0) return
    if (Date.now() + pause > deadline || options.signal?.aborted) {
      throw new UpstreamError(`${left.length} task(s) in cluster ${cluster} did not reach STOPPED in time`, { unavailable: true })
    }
    await sleep(pause, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined)
    pause = Math.min(pause * 2, 15_000)
  }
}

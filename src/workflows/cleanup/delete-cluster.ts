import { setTimeout as sleep } from 'node:timers/promises'
import type { Ecs } from '../../aws/ecs.js'
import { awsCodeOf } from '../../aws/translate-error.js'
import { ThrottledError, UpstreamError } from '../../core/errors.js'

/**
 * ECS refuses to delete a cluster while services are still draining or tasks still stopping; those
 * answers (and throttling, and ECS's own hiccups) clear up by themselves, so they are retried.
 */
const RETRYABLE = new Set([
  'ClusterContainsContainerInstancesException',
  'ClusterContainsServicesException',
  'ClusterContainsTasksException',
  'ResourceInUseException',
  'UpdateInProgressException',
  'ServerException',
])

export interface RetryOptions {
  /** Total time to keep trying; default 120 s. */
  budgetMs?: number
  /** Stops waiting between attempts (the last error is thrown). */
  signal?: AbortSignal
}

function retryable(err: unknown): boolean {
  const code = awsCodeOf(err)
  return (code !== undefined && RETRYABLE.has(code)) || err instanceof ThrottledError || err instanceof UpstreamError
}

/**
 * Deletes the cluster, retrying with doubling waits (1 s, 2 s, ... at most 15 s) while ECS says it is
 * still in use. A cluster that is already gone counts as deleted. Throws the last error when the
 * budget runs out, so callers never mistake a failure for a deletion.
 */
export async function deleteClusterWithRetry(ecs: Ecs, name: string, options: RetryOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.budgetMs ?? 120_000)
  let wait = 1_000
  for (;;) {
    try {
      await ecs.deleteCluster(name)
      return
    } catch (err) {
      if (!retryable(err) || Date.now() + wait > deadline || options.signal?.aborted) throw err
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined)
      wait = Math.min(wait * 2, 15_000)
    }
  }
}

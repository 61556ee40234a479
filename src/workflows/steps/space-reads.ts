/**
 * The first reads of the space's role and log group steps, started ahead by a use case beside its
 * own read-only checks and handed to the run (`RunOptions.reads`). The steps' creates then follow the
 * checks by one round trip instead of two: GetRole and DescribeLogGroups no longer wait for
 * DescribeClusters. Reads only, so a failed check (a cluster of another org, a family in use) has
 * changed nothing; their answers are then dropped. Start them inside the space's lease, as the run
 * would: what they find cannot change under the run's feet.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import { lookUpSpaceLogGroup } from './ensure-log-group.js'
import { lookUpTaskExecutionRole } from './ensure-task-execution-role.js'
import type { SpaceScope } from './space-scope.js'

export function startSpaceReads(scope: SpaceScope): ReadonlyMap<string, Promise<unknown>> {
  const reads = new Map<string, Promise<unknown>>()
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    const answer = compute()
    // A run that never starts (a check failed) never awaits it: its failure is not unhandled.
    answer.catch(() => undefined)
    reads.set(key, answer)
    return answer
  }
  void lookUpTaskExecutionRole({ scope, once })
  void lookUpSpaceLogGroup({ scope, once })
  return reads
}

/**
 * `startSpaceReads` one turn of the event loop later: the checks started just before have sent
 * their calls by then, so those, which the whole run waits for, reach AWS first.
 */
export async function startSpaceReadsNext(scope: SpaceScope): Promise<ReadonlyMap<string, Promise<unknown>>> {
  await nextTurn()
  return startSpaceReads(scope)
}

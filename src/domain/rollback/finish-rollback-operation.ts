import { setTimeout as sleep } from 'node:timers/promises'
import { DomainError } from '../../core/errors.js'
import { defineOperationKind, operationLocation, type OperationTarget, type OperationView } from '../../operations/index.js'
import { WorkflowFailedError } from '../../workflows/engine.js'
import { undoLeftover, undoneFirst, type Leftover, type LeftoverScope } from '../../workflows/rollback-finish.js'
import { holdSpaceLease } from '../space-lease.js'
import { startOperation, type UseCaseContext } from '../use-case-context.js'

/**
 * What a failed create or update of a task definition or a service could not roll back (AWS
 * throttled or down at that moment) becomes a tracked operation that tries again: the error answer
 * names it, and its outcome is on the operations endpoint.
 */

export const FINISH_ROLLBACK_KIND = 'rollback.finish'

export interface FinishRollbackInput {
  org: string
  cluster: string
  workflow: string
  leftovers: Leftover[]
}

/** Pauses between attempts of one compensation. */
const PAUSES_MS = [1_000, 5_000, 15_000]

export const finishRollbackKind = defineOperationKind<FinishRollbackInput>({
  name: FINISH_ROLLBACK_KIND,
  steps: (input) => {
    const ids = input.leftovers.map((leftover, i) => `undo-${i + 1}-${leftover.step}`)
    const first = ids.filter((_, i) => undoneFirst(input.leftovers[i]?.step ?? ''))
    return input.leftovers.map((leftover, i) => ({
      id: ids[i] ?? leftover.step,
      dependsOn: undoneFirst(leftover.step) ? [] : first,
      run: async (ctx) => {
        for (let attempt = 0; ; attempt++) {
          try {
            // Takes turns with the space's requests, as the workflow it finishes did.
            const said = await holdSpaceLease(
              ctx.leases,
              { account: ctx.account.name, cluster: ctx.input.cluster },
              () => undoLeftover(ctx.account, ctx.input, leftover),
              { signal: ctx.signal },
            )
            if (said === undefined) return { skipped: true }
            await ctx.event(said)
            return { undone: leftover.step }
          } catch (err) {
            const pause = PAUSES_MS[attempt]
            if (pause === undefined || ctx.signal.aborted) throw err
            await sleep(pause, undefined, { signal: ctx.signal }).catch(() => undefined)
          }
        }
      },
    }))
  },
})

/**
 * Turns the leftovers of a failed run into a tracked operation and answers the workflow's error
 * with the operation named in it (`rollbackOperation`: id and location). Without leftovers, or when
 * the operation cannot be started, the workflow's error is rethrown as it is.
 */
export async function handOverLeftovers(
  ctx: UseCaseContext,
  scope: { readonly clusterName: string } & LeftoverScope,
  err: unknown,
  target: OperationTarget = {},
): Promise<never> {
  const leftovers = scope.leftovers ?? []
  if (!ctx.operations || !(err instanceof WorkflowFailedError) || leftovers.length === 0) throw err
  let operation: OperationView
  try {
    operation = await startOperation<FinishRollbackInput>(ctx, FINISH_ROLLBACK_KIND, { cluster: scope.clusterName, ...target }, {
      org: ctx.org,
      cluster: scope.clusterName,
      workflow: err.report.workflow,
      leftovers: [...leftovers],
    })
  } catch {
    // The store is down: the answer still says what was not undone.
    throw err
  }
  throw new DomainError(err.code, `${err.message}; the rest is retried by operation ${operation.id}`, {
    cause: err,
    ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
    details: { ...err.details, rollbackOperation: { id: operation.id, location: operationLocation(operation) } },
  })
}

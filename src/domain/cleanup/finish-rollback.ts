import { setTimeout as sleep } from 'node:timers/promises'
import { defineOperationKind, operationLocation, type OperationView, type Operations } from '../../operations/index.js'
import type { CompensateContext, Step } from '../../workflows/engine.js'
import { WorkflowFailedError } from '../../workflows/engine.js'
import { createRepositoryCredentials } from '../../workflows/steps/create-repository-credentials.js'
import { ensureCluster } from '../../workflows/steps/ensure-cluster.js'
import { ensureLogGroup } from '../../workflows/steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from '../../workflows/steps/ensure-task-execution-role.js'
import { registerTaskDefinition } from '../../workflows/steps/register-task-definition.js'
import type { SpaceScope } from '../../workflows/steps/space-scope.js'
import { DomainError } from '../errors.js'

/**
 * When a workflow's rollback cannot undo a step (AWS throttled or down at that moment), what is left
 * becomes a tracked operation that tries again: the error answer names it, and its outcome is on the
 * operations endpoint. Only steps whose compensation input is plain JSON without secret values can
 * be handed over; the others stay reported as rollback failures.
 */

export const FINISH_ROLLBACK_KIND = 'rollback.finish'

/** Steps whose compensation can be stored and run again later, by id. */
const RETRIABLE = new Map<string, Step<unknown, unknown, SpaceScope>>(
  [ensureCluster, ensureTaskExecutionRole, ensureLogGroup, createRepositoryCredentials, registerTaskDefinition].map(
    (step): [string, Step<unknown, unknown, SpaceScope>] => [step.id, step],
  ),
)

export interface Leftover {
  step: string
  compensation: unknown
}

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
  steps: (input) =>
    input.leftovers.map((leftover, i) => ({
      id: `undo-${i + 1}-${leftover.step}`,
      dependsOn: [],
      run: async (ctx) => {
        const step = RETRIABLE.get(leftover.step)
        if (!step?.compensate) return { skipped: true }
        const scope: SpaceScope = { account: ctx.account, org: ctx.input.org, clusterName: ctx.input.cluster, flavor: 'task', tags: [] }
        for (let attempt = 0; ; attempt++) {
          try {
            await step.compensate(leftover.compensation, { scope })
            await ctx.event(`undid ${leftover.step}`)
            return { undone: leftover.step }
          } catch (err) {
            const pause = PAUSES_MS[attempt]
            if (pause === undefined || ctx.signal.aborted) throw err
            await sleep(pause, undefined, { signal: ctx.signal }).catch(() => undefined)
          }
        }
      },
    })),
})

/** A workflow scope that collects the compensations its rollback could not carry out. */
export interface LeftoverScope {
  readonly leftovers?: Leftover[] | undefined
}

/**
 * Wraps a workflow's steps so that a compensation that fails (of a retriable step) is remembered in
 * the run's `scope.leftovers`, to be handed to `finishRollbackLater`.
 */
export function rememberingLeftovers<S extends LeftoverScope>(steps: readonly Step<unknown, unknown, S>[]): Step<unknown, unknown, S>[] {
  return steps.map((step) => {
    if (step.noCompensation === true || !RETRIABLE.has(step.id)) return step
    const compensate = step.compensate.bind(step)
    return {
      ...step,
      async compensate(compensation: unknown, ctx: CompensateContext<S>) {
        try {
          await compensate(compensation, ctx)
        } catch (err) {
          ctx.scope.leftovers?.push({ step: step.id, compensation })
          throw err
        }
      },
    }
  })
}

/**
 * Turns the leftovers of a failed run into a tracked operation and answers the workflow's error
 * with the operation named in it (`rollbackOperation`). Without leftovers the error is rethrown.
 */
export async function finishRollbackLater(
  err: unknown,
  leftovers: readonly Leftover[],
  start: { operations: Operations; account: string; org: string; cluster: string; requestId?: string | undefined },
): Promise<never> {
  if (!(err instanceof WorkflowFailedError) || leftovers.length === 0) throw err
  let operation: OperationView
  try {
    operation = await start.operations.start<FinishRollbackInput>({
      kind: FINISH_ROLLBACK_KIND,
      account: start.account,
      target: { cluster: start.cluster },
      input: { org: start.org, cluster: start.cluster, workflow: err.report.workflow, leftovers: [...leftovers] },
      ...(start.requestId ? { requestId: start.requestId } : {}),
    })
  } catch {
    // The store is down: the answer still says what was not undone.
    throw err
  }
  throw new DomainError(err.code, `${err.message}; the rest is retried by operation ${operation.id}`, {
    cause: err,
    ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
    details: {
      ...err.details,
      rollbackOperation: { id: operation.id, location: operationLocation(operation) },
    },
  })
}

import { setTimeout as sleep } from 'node:timers/promises'
import type { Account } from '../aws/account-clients.js'
import { ecsServices, type EcsServices } from '../aws/ecs-services.js'
import { serviceDiscovery, type ServiceDiscovery } from '../aws/service-discovery.js'
import {
  defineOperationKind,
  operationLocation,
  type OperationTarget,
  type OperationView,
  type Operations,
} from '../operations/index.js'
import type { CompensateContext, Step } from './engine.js'
import { WorkflowFailedError } from './engine.js'
import { CREATE_ECS_SERVICE_STEP, deleteCreatedService, type CreatedService } from './steps/create-ecs-service.js'
import { createRepositoryCredentials } from './steps/create-repository-credentials.js'
import { createServiceRegistryStep } from './steps/create-service-registry.js'
import { ensureCluster } from './steps/ensure-cluster.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinition } from './steps/register-task-definition.js'
import type { SpaceScope } from './steps/space-scope.js'
import {
  restoreUnlessChangedSince,
  UPDATE_ECS_SERVICE_STEP,
  type ServiceRestore,
} from './steps/update-ecs-service.js'
import { DomainError } from '../core/errors.js'

/**
 * When a workflow's rollback cannot undo a step (AWS throttled or down at that moment), what is left
 * becomes a tracked operation that tries again: the error answer names it, and its outcome is on the
 * operations endpoint. Task-definition and service creates and updates all hand over this way.
 *
 * Only steps whose compensation input is plain JSON without secret values can be handed over; the
 * others stay reported as rollback failures. `update-repository-credentials` is one of them: putting
 * an overwritten secret value back would mean storing that value in the operation.
 *
 * The kind is registered once per app, by the route layer's shared kinds (not by a route group), as
 * both task-definition and service routes start it.
 */

export const FINISH_ROLLBACK_KIND = 'rollback.finish'

/**
 * What a retried compensation sees, rebuilt from the account in whichever process runs the
 * operation. Compensations read only the account's clients and these adapters from their scope;
 * flavor and tags are never read when undoing.
 */
interface RetryScope extends SpaceScope {
  readonly services: EcsServices
  readonly discovery: ServiceDiscovery
}

/** Undoes one leftover; may answer a line for the operation's events. */
type Retry = (compensation: unknown, scope: RetryScope) => Promise<string | undefined>

function viaCompensate(step: Step<unknown, unknown, RetryScope>): [string, Retry] {
  return [
    step.id,
    async (compensation, scope) => {
      await step.compensate?.(compensation, { scope })
      return undefined
    },
  ]
}

/** Steps whose compensation can be stored and run again later, by id. */
const RETRIABLE = new Map<string, Retry>([
  ...[ensureCluster, ensureTaskExecutionRole, ensureLogGroup, createRepositoryCredentials, registerTaskDefinition, createServiceRegistryStep].map(
    (step) => viaCompensate(step as Step<unknown, unknown, RetryScope>),
  ),
  [
    CREATE_ECS_SERVICE_STEP,
    async (compensation, scope) => {
      await deleteCreatedService(scope.services, compensation as CreatedService)
      return undefined
    },
  ],
  // Later than the request, someone may have updated the service meanwhile: only what still holds
  // this request's values is put back.
  [UPDATE_ECS_SERVICE_STEP, (compensation, scope) => restoreUnlessChangedSince(scope.services, compensation as ServiceRestore)],
])

/**
 * The ECS service is undone before the rest: a cluster, registry or revision is only free to go once
 * the service is deleted or back on its old revision.
 */
const FIRST = new Set([CREATE_ECS_SERVICE_STEP, UPDATE_ECS_SERVICE_STEP])

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
  steps: (input) => {
    const ids = input.leftovers.map((leftover, i) => `undo-${i + 1}-${leftover.step}`)
    const first = ids.filter((_, i) => FIRST.has(input.leftovers[i]?.step ?? ''))
    return input.leftovers.map((leftover, i) => ({
      id: ids[i] ?? leftover.step,
      dependsOn: FIRST.has(leftover.step) ? [] : first,
      run: async (ctx) => {
        const retry = RETRIABLE.get(leftover.step)
        if (!retry) return { skipped: true }
        const { account } = ctx
        const scope: RetryScope = {
          account,
          org: ctx.input.org,
          clusterName: ctx.input.cluster,
          flavor: 'task',
          tags: [],
          services: ecsServices(account.clients.ecs),
          discovery: serviceDiscovery(account.clients.serviceDiscovery),
        }
        for (let attempt = 0; ; attempt++) {
          try {
            const said = await retry(leftover.compensation, scope)
            await ctx.event(said ?? `undid ${leftover.step}`)
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

/** A workflow scope that collects the compensations its rollback could not carry out. */
export interface LeftoverScope {
  readonly leftovers?: Leftover[] | undefined
}

/**
 * Wraps a workflow's steps so that a compensation that fails (of a retriable step) is remembered in
 * the run's `scope.leftovers`, to be handed to `handOverLeftovers`.
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

/** Who hands leftovers over: the use case's context (task definitions and services alike). */
export interface RollbackHandover {
  readonly account: Account
  readonly org: string
  /** Without a store (a use case run outside the app) the error is only reported. */
  readonly operations?: Operations | undefined
  readonly requestId?: string | undefined
}

/**
 * Turns the leftovers of a failed run into a tracked operation and answers the workflow's error
 * with the operation named in it (`rollbackOperation`: id and location). Without leftovers, or when
 * the operation cannot be started, the workflow's error is rethrown as it is.
 */
export async function handOverLeftovers(
  ctx: RollbackHandover,
  scope: { readonly clusterName: string } & LeftoverScope,
  err: unknown,
  target: OperationTarget = {},
): Promise<never> {
  const leftovers = scope.leftovers ?? []
  if (!ctx.operations || !(err instanceof WorkflowFailedError) || leftovers.length === 0) throw err
  let operation: OperationView
  try {
    operation = await ctx.operations.start<FinishRollbackInput>({
      kind: FINISH_ROLLBACK_KIND,
      account: ctx.account.name,
      target: { cluster: scope.clusterName, ...target },
      input: { org: ctx.org, cluster: scope.clusterName, workflow: err.report.workflow, leftovers: [...leftovers] },
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
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

import type { Account } from '../aws/account-clients.js'
import { ecsServices, type EcsServices } from '../aws/ecs-services.js'
import { serviceDiscovery, type ServiceDiscovery } from '../aws/service-discovery.js'
import type { CompensateContext, Step } from './engine.js'
import { CREATE_ECS_SERVICE_STEP, deleteCreatedService, type CreatedService } from './steps/create-ecs-service.js'
import { createRepositoryCredentials } from './steps/create-repository-credentials.js'
import { createServiceRegistryStep } from './steps/create-service-registry.js'
import { createSchedule } from './steps/create-schedule.js'
import { ensureScheduleGroup } from './steps/ensure-schedule-group.js'
import { ensureSchedulerRole } from './steps/ensure-scheduler-role.js'
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
import { deregisterScalableTargetStep } from './steps/deregister-scalable-target.js'
import { putScalingPoliciesStep } from './steps/put-scaling-policies.js'
import { putScheduledActionsStep } from './steps/put-scheduled-actions.js'
import { registerScalableTargetStep } from './steps/register-scalable-target.js'
import { removeScalingPoliciesStep } from './steps/remove-scaling-policies.js'
import { removeScheduledActionsStep } from './steps/remove-scheduled-actions.js'

/**
 * When a workflow's rollback cannot undo a step (AWS throttled or down at that moment), what is left
 * is remembered here (`rememberingLeftovers`) and undone later, one leftover at a time
 * (`undoLeftover`), by the tracked operation the use case hands it to.
 *
 * Only steps whose compensation input is plain JSON without secret values can be handed over; the
 * others stay reported as rollback failures. `update-repository-credentials` is one of them: putting
 * an overwritten secret value back would mean storing that value in the operation.
 */

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
  // A schedule's group, role and schedule: names and a policy document only. A replaced schedule's
  // definition is not handed over (its overrides may carry environment values).
  ...[ensureScheduleGroup, ensureSchedulerRole, createSchedule].map((step) => viaCompensate(step as unknown as Step<unknown, unknown, RetryScope>)),
  // Later than the request, someone may have updated the service meanwhile: only what still holds
  // this request's values is put back.
  [UPDATE_ECS_SERVICE_STEP, (compensation, scope) => restoreUnlessChangedSince(scope.services, compensation as ServiceRestore)],
  // A service's autoscaling: the compensations read only the account (and the resource id they carry).
  ...[
    registerScalableTargetStep(),
    deregisterScalableTargetStep(),
    putScalingPoliciesStep(),
    removeScalingPoliciesStep(),
    putScheduledActionsStep(),
    removeScheduledActionsStep(),
  ].map((step) => viaCompensate(step as unknown as Step<unknown, unknown, RetryScope>)),
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

/**
 * Whether the leftover of `step` is undone before the others: a cluster, registry or revision is only
 * free to go once the ECS service is deleted or back on its old revision.
 */
export function undoneFirst(step: string): boolean {
  return FIRST.has(step)
}

/**
 * Undoes one leftover in whichever process runs it, rebuilding what its compensation reads from the
 * account. Answers `undefined` for a step that cannot be retried, else the line to report.
 */
export async function undoLeftover(
  account: Account,
  target: { org: string; cluster: string },
  leftover: Leftover,
): Promise<string | undefined> {
  const retry = RETRIABLE.get(leftover.step)
  if (!retry) return undefined
  const scope: RetryScope = {
    account,
    org: target.org,
    clusterName: target.cluster,
    flavor: 'task',
    tags: [],
    services: ecsServices(account.clients.ecs),
    discovery: serviceDiscovery(account.clients.serviceDiscovery),
  }
  return (await retry(leftover.compensation, scope)) ?? `undid ${leftover.step}`
}

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

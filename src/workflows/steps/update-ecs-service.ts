/**
 * Step `update-ecs-service`: applies a service update (new task definition, desired count, capacity
 * provider strategy, redeploy, ...). Rollback puts every field it changed back to the value the
 * service had before, so the service runs its old task definition again.
 */
import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs'
import type { EcsServices } from '../../aws/ecs-services.js'
import { defineStep, type Step, type StepContext, type StepRef } from '../step.js'

export const UPDATE_ECS_SERVICE_STEP = 'update-ecs-service'

export interface ServiceUpdateScope {
  readonly services: EcsServices
  /** The service as it was before this request (with its ARN and cluster ARN). */
  readonly current: Service
  /** The client's changes (cluster and service are set here), already checked. */
  readonly update: UpdateServiceCommandInput
}

export interface ServiceUpdateInputs<Scope> {
  readonly dependsOn: readonly StepRef<unknown>[]
  /** The new revision to run, when this request registered one. */
  taskDefinition(ctx: StepContext<Scope>): string | undefined
}

/** UpdateService members that mirror a member of the same name on the Service. */
const RESTORABLE = [
  'desiredCount',
  'taskDefinition',
  'capacityProviderStrategy',
  'deploymentConfiguration',
  'networkConfiguration',
  'placementConstraints',
  'placementStrategy',
  'platformVersion',
  'healthCheckGracePeriodSeconds',
  'enableExecuteCommand',
  'enableECSManagedTags',
  'loadBalancers',
  'propagateTags',
  'serviceRegistries',
] as const

/** The UpdateService input that undoes `applied`: every member it set, back to the service's old value. */
export function restoreInput(current: Service, applied: UpdateServiceCommandInput): UpdateServiceCommandInput | undefined {
  const restore: Record<string, unknown> = {}
  for (const key of RESTORABLE) {
    if (applied[key] !== undefined && current[key] !== undefined) restore[key] = current[key]
  }
  if (Object.keys(restore).length === 0) return undefined
  return { cluster: applied.cluster, service: applied.service, ...restore }
}

export function updateEcsServiceStep<Scope extends ServiceUpdateScope>(
  inputs: ServiceUpdateInputs<Scope>,
): Step<Service, UpdateServiceCommandInput, Scope> {
  return defineStep({
    id: UPDATE_ECS_SERVICE_STEP,
    dependsOn: inputs.dependsOn,
    async invoke(ctx: StepContext<Scope>) {
      const { current, update, services } = ctx.scope
      const taskDefinition = inputs.taskDefinition(ctx)
      const input: UpdateServiceCommandInput = {
        ...update,
        cluster: current.clusterArn,
        service: current.serviceArn,
        ...(taskDefinition ? { taskDefinition } : {}),
      }
      const updated = await services.update(input)
      const restore = restoreInput(current, input)
      return restore ? { output: updated, compensation: restore } : { output: updated }
    },
    async compensate(restore: UpdateServiceCommandInput, ctx) {
      await ctx.scope.services.update(restore)
    },
  })
}

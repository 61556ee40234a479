import type { CreateServiceCommandInput, Service } from '@aws-sdk/client-ecs'
import type { EcsServices } from '../../aws/ecs-services.js'
import { NotFoundError } from '../../core/errors.js'
import { serviceNetwork, type AccountNetwork } from '../../core/service-network.js'
import { toEcsTags, type Tag } from '../../core/tags.js'
import type { Step } from '../engine.js'
import { wiredStep, type StepInputs } from '../step.js'

/** Creates the ECS service itself, the last step of a service create. */

export interface EcsServiceScope {
  readonly services: EcsServices
  /** The client's (validated) CreateService input; cluster, task definition and tags are set here. */
  readonly service: CreateServiceCommandInput
  readonly network: AccountNetwork
  /** Cleaned tags (flavor `service`). */
  readonly tags: readonly Tag[]
  /** Used when the client sent no clientToken, so an SDK retry cannot create the service twice. */
  readonly clientToken: string
}

/** Where the step finds what earlier steps made. */
export type EcsServiceInputs<Scope> = StepInputs<
  Scope,
  {
    cluster: string
    /** `family:revision` or ARN. */
    taskDefinition: string
    /** A registry to register in, unless the client already listed it. */
    registryArn: string | undefined
  }
>

export const CREATE_ECS_SERVICE_STEP = 'create-ecs-service'

/** The CreateService input as sent to ECS. */
export function createServiceInput(
  scope: EcsServiceScope,
  cluster: string,
  taskDefinition: string,
  registryArn: string | undefined,
): CreateServiceCommandInput {
  const registries = scope.service.serviceRegistries ?? []
  const listed = registryArn !== undefined && registries.some((r) => r.registryArn === registryArn)
  return {
    ...scope.service,
    cluster,
    taskDefinition,
    serviceRegistries: registryArn && !listed ? [...registries, { registryArn }] : registries,
    clientToken: scope.service.clientToken ?? scope.clientToken,
    networkConfiguration: serviceNetwork(scope.service.networkConfiguration, scope.network),
    propagateTags: scope.service.propagateTags ?? 'SERVICE',
    tags: toEcsTags(scope.tags),
  }
}

/** What undoing a create needs: where the service is. */
export interface CreatedService {
  readonly cluster: string
  readonly arn: string
}

/** Deletes a service this request created (force: whatever its desired count); one already gone is fine. */
export async function deleteCreatedService(services: EcsServices, { cluster, arn }: CreatedService): Promise<void> {
  try {
    await services.delete(cluster, arn, true)
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
  }
}

/** The create-ecs-service step, reading cluster, task definition and registry from the steps named in `inputs`. */
export function createEcsServiceStep<Scope extends EcsServiceScope>(
  inputs: EcsServiceInputs<Scope>,
): Step<Service, CreatedService, Scope> {
  return wiredStep(CREATE_ECS_SERVICE_STEP, inputs, {
    invoke: async (ctx, { cluster, taskDefinition, registryArn }) => {
      const input = createServiceInput(ctx.scope, cluster, taskDefinition, registryArn)
      const service = await ctx.scope.services.create(input)
      return { output: service, compensation: { cluster, arn: service.serviceArn ?? input.serviceName ?? '' } }
    },
    compensate: (created: CreatedService, { scope }) => deleteCreatedService(scope.services, created),
  })
}

import { setTimeout as sleep } from 'node:timers/promises'
import type { CreateServiceCommandInput as RegistryCreateInput, Tag as RegistryTag } from '@aws-sdk/client-servicediscovery'
import type { RegistryService, ServiceDiscovery } from '../../aws/service-discovery.js'
import { ConflictError } from '../../core/errors.js'
import type { Tag } from '../../core/tags.js'
import { defineStep, type InvokeResult, type StepContext } from '../engine.js'

/**
 * Cloud Map registration of a new service: create the registry the request describes, or use the
 * existing one it names. An existing registry belongs to someone else and is never rolled back.
 */

/** What the request asks for. */
export type RegistryRequest =
  | { kind: 'none' }
  /**
   * `Service.ServiceRegistries[0]`: an existing registry, by its ARN (already parsed and validated),
   * with what Cloud Map answered when the request's checks looked it up.
   */
  | { kind: 'existing'; arn: string; id: string; service?: RegistryService | undefined }
  /** `ServiceRegistry`: a Cloud Map CreateService input. */
  | { kind: 'create'; input: RegistryCreateInput }

export interface ServiceRegistryScope {
  readonly discovery: ServiceDiscovery
  readonly registry: RegistryRequest
  /** The request's cleaned tags: registries we create carry the org, so cleanups can tell them apart. */
  readonly tags: readonly Tag[]
  /** Makes a retried create of the same request idempotent. */
  readonly clientToken: string
}

export interface ServiceRegistryOutput {
  /** The registry ARN the ECS service registers in; undefined when the request asked for none. */
  registryArn: string | undefined
  /** The Cloud Map service, as the response shows it (null when Cloud Map does not know it). */
  service: RegistryService | undefined
}

export const CREATE_SERVICE_REGISTRY_STEP = 'create-service-registry'

/** How often and how long a compensation retries a registry that is still in use (instances deregistering). */
const DELETE_ATTEMPTS = 5
const DELETE_FIRST_WAIT_MS = 500

/** Our tags first, then the client's own registry tags whose keys we do not set. */
function registryTags(ours: readonly Tag[], theirs: readonly RegistryTag[] | undefined): RegistryTag[] {
  const keys = new Set(ours.map((t) => t.Key))
  return [...ours, ...(theirs ?? []).filter((t) => t.Key !== undefined && !keys.has(t.Key))]
}

/** The CreateService input as sent: custom health checks (ECS reports task health) unless the client chose. */
export function registryCreateInput(scope: ServiceRegistryScope, input: RegistryCreateInput): RegistryCreateInput {
  return {
    ...input,
    ...(input.HealthCheckConfig === undefined && input.HealthCheckCustomConfig === undefined
      ? { HealthCheckCustomConfig: { FailureThreshold: 1 } }
      : {}),
    CreatorRequestId: input.CreatorRequestId ?? `${scope.clientToken}-registry`.slice(0, 64),
    Tags: registryTags(scope.tags, input.Tags),
  }
}

/** Deletes a registry we created, waiting out a short "in use" while instances deregister. */
export async function deleteRegistry(discovery: ServiceDiscovery, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await discovery.deleteService(id)
      return
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= DELETE_ATTEMPTS) throw err
      await sleep(DELETE_FIRST_WAIT_MS * 2 ** (attempt - 1))
    }
  }
}

/** Creates or looks up the service's Cloud Map registry. */
export const createServiceRegistryStep = defineStep({
  id: CREATE_SERVICE_REGISTRY_STEP,
  invoke: async (ctx: StepContext<ServiceRegistryScope>): Promise<InvokeResult<ServiceRegistryOutput, { id: string }>> => {
    const { registry, discovery } = ctx.scope
    switch (registry.kind) {
      case 'none':
        return { output: { registryArn: undefined, service: undefined }, skipped: true }
      case 'existing': {
        const service = registry.service ?? (await discovery.findService(registry.id))
        return { output: { registryArn: registry.arn, service }, skipped: true }
      }
      case 'create': {
        const service = await discovery.createService(registryCreateInput(ctx.scope, registry.input))
        return { output: { registryArn: service.Arn, service }, compensation: { id: service.Id ?? '' } }
      }
    }
  },
  compensate: async ({ id }: { id: string }, { scope }) => {
    if (id) await deleteRegistry(scope.discovery, id)
  },
})

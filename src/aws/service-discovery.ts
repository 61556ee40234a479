import type {
  CreateServiceCommandInput,
  Namespace,
  Service as RegistryService,
  ServiceDiscoveryClient,
  Tag,
} from '@aws-sdk/client-servicediscovery'
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  GetNamespaceCommand,
  GetServiceCommand,
  ListTagsForResourceCommand,
} from './sdk/service-discovery.js'
import { orUndefined } from './not-found.js'

/**
 * Cloud Map (service discovery): the registries ECS services register their tasks in, and the
 * namespaces that give them a DNS name.
 */

export type { RegistryService }

/** The parts of a Cloud Map service ARN, `arn:<partition>:servicediscovery:<region>:<account>:service/<id>`. */
export interface RegistryArn {
  region: string
  accountId: string
  id: string
}

const REGISTRY_ARN = /^arn:aws[a-z-]*:servicediscovery:([a-z0-9-]+):(\d{12}):service\/(srv-[A-Za-z0-9]+)$/

/** Parses a Cloud Map service ARN; undefined for anything else (a namespace ARN, a plain id, garbage). */
export function parseRegistryArn(arn: string): RegistryArn | undefined {
  const m = REGISTRY_ARN.exec(arn)
  return m ? { region: m[1]!, accountId: m[2]!, id: m[3]! } : undefined
}

export interface ServiceDiscovery {
  createService(input: CreateServiceCommandInput): Promise<RegistryService>
  /** The registry with this id, or undefined when Cloud Map does not know it. */
  findService(id: string): Promise<RegistryService | undefined>
  getNamespace(id: string): Promise<Namespace | undefined>
  /** Deletes the registry; one that is already gone is fine. */
  deleteService(id: string): Promise<void>
  listTags(arn: string): Promise<Tag[]>
}

/** The Cloud Map adapter over one account's client (errors arrive already translated). */
export function serviceDiscovery(client: ServiceDiscoveryClient): ServiceDiscovery {
  return {
    async createService(input) {
      const out = await client.send(new CreateServiceCommand(input))
      return out.Service ?? {}
    },

    async findService(id) {
      const out = await orUndefined(client.send(new GetServiceCommand({ Id: id })))
      return out?.Service
    },

    async getNamespace(id) {
      const out = await orUndefined(client.send(new GetNamespaceCommand({ Id: id })))
      return out?.Namespace
    },

    async deleteService(id) {
      await orUndefined(client.send(new DeleteServiceCommand({ Id: id })))
    },

    async listTags(arn) {
      const out = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))
      return out.Tags ?? []
    },
  }
}

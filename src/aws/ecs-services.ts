import type {
  CreateServiceCommandInput,
  ECSClient,
  Service,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  paginateListServices,
  UpdateServiceCommand,
} from './sdk/ecs.js'
import { chunk, mapWithConcurrency } from '../core/concurrency.js'

/**
 * ECS services: create, describe (with tags), update, delete and list. Task definitions, clusters
 * and tasks live in `ecs.ts`.
 */

/** DescribeServices takes at most 10 services per call. */
const DESCRIBE_BATCH = 10
/** DescribeServices calls one request keeps in flight. */
const DESCRIBE_CONCURRENCY = 4
/** ListServices' largest page. */
const LIST_PAGE = 100

export interface EcsServices {
  create(input: CreateServiceCommandInput): Promise<Service>
  /**
   * The services named (names or ARNs), with their tags, in batches of 10 with bounded concurrency.
   * Names ECS does not know are left out; INACTIVE (deleted) services are included, so callers filter.
   */
  describe(cluster: string, services: readonly string[]): Promise<Service[]>
  /** One service with its tags when it is ACTIVE; undefined when missing, draining or deleted. */
  describeActive(cluster: string, service: string): Promise<Service | undefined>
  update(input: UpdateServiceCommandInput): Promise<Service>
  /** Deletes the service; `force` deletes it even while it still has a desired count. */
  delete(cluster: string, service: string, force: boolean): Promise<Service | undefined>
  /** ARNs of every service in the cluster, every page, any launch type or capacity provider strategy. */
  listArns(cluster: string): Promise<string[]>
}

/** The ECS service adapter over one account's client (errors arrive already translated). */
export function ecsServices(client: ECSClient): EcsServices {
  const describe = async (cluster: string, services: readonly string[]): Promise<Service[]> => {
    const pages = await mapWithConcurrency(
      chunk(services, DESCRIBE_BATCH),
      async (batch) => {
        const out = await client.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }))
        return out.services ?? []
      },
      DESCRIBE_CONCURRENCY,
    )
    return pages.flat()
  }

  return {
    async create(input) {
      const out = await client.send(new CreateServiceCommand(input))
      return out.service ?? {}
    },

    describe,

    async describeActive(cluster, service) {
      const [found] = await describe(cluster, [service])
      return found?.status === 'ACTIVE' ? found : undefined
    },

    async update(input) {
      const out = await client.send(new UpdateServiceCommand(input))
      return out.service ?? {}
    },

    async delete(cluster, service, force) {
      const out = await client.send(new DeleteServiceCommand({ cluster, service, force }))
      return out.service
    },

    async listArns(cluster) {
      const arns: string[] = []
      // No launchType filter: it would leave out services that run on a capacity provider strategy.
      for await (const page of paginateListServices(
        { client, pageSize: LIST_PAGE, stopOnSameToken: true },
        { cluster },
      )) {
        arns.push(...(page.serviceArns ?? []))
      }
      return arns
    },
  }
}

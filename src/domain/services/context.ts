import {
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  paginateListTasks,
  type Cluster,
  type DesiredStatus,
  type Tag as EcsTag,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import { ecsServices, type EcsServices } from '../../aws/ecs-services.js'
import { logEvents, type LogEvents } from '../../aws/log-events.js'
import { serviceDiscovery, type ServiceDiscovery } from '../../aws/service-discovery.js'
import { chunk, mapWithConcurrency } from '../concurrency.js'
import { awsCodeOf } from '../../aws/translate-error.js'
import { InputError, NotFoundError } from '../errors.js'

/** The cluster, task-definition and task reads the service routes need. */
export interface EcsReads {
  /** The cluster with its tags when it exists and is ACTIVE. */
  describeCluster(name: string): Promise<Cluster | undefined>
  describeTaskDefinition(ref: string): Promise<{ taskDefinition: TaskDefinition; tags: EcsTag[] }>
  listTaskArns(cluster: string, filter: { serviceName?: string; desiredStatus: DesiredStatus }): Promise<string[]>
  describeTasks(cluster: string, ids: readonly string[]): Promise<Task[]>
}

/** What the service use cases need: the adapters of one account, its config and the org we serve. */
export interface ServiceContext {
  readonly account: Account
  readonly org: string
  readonly services: EcsServices
  readonly ecs: EcsReads
  readonly discovery: ServiceDiscovery
  readonly logs: LogEvents
}

export function serviceContext(account: Account, org: string): ServiceContext {
  return {
    account,
    org,
    services: ecsServices(account.clients.ecs),
    ecs: ecsReads(account),
    discovery: serviceDiscovery(account.clients.serviceDiscovery),
    logs: logEvents(account.clients.logs),
  }
}

function ecsReads(account: Account): EcsReads {
  const client = account.clients.ecs
  return {
    async describeCluster(name) {
      const out = await client.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] }))
      const cluster = out.clusters?.[0]
      return cluster?.status === 'ACTIVE' ? cluster : undefined
    },
    async describeTaskDefinition(ref) {
      const out = await client
        .send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }))
        .catch((err: unknown) => {
          // ECS answers an unknown task definition with a generic ClientException.
          if (err instanceof InputError && awsCodeOf(err) === 'ClientException') {
            throw new NotFoundError(`task definition ${ref} not found`, { cause: err })
          }
          throw err
        })
      return { taskDefinition: out.taskDefinition ?? {}, tags: out.tags ?? [] }
    },
    async listTaskArns(cluster, filter) {
      const arns: string[] = []
      for await (const page of paginateListTasks({ client, pageSize: 100, stopOnSameToken: true }, { cluster, ...filter })) {
        arns.push(...(page.taskArns ?? []))
      }
      return arns
    },
    async describeTasks(cluster, ids) {
      const pages = await mapWithConcurrency(chunk(ids, 100), async (batch) => {
        const out = await client.send(new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] }))
        return out.tasks ?? []
      })
      return pages.flat()
    },
  }
}

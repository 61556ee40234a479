import type { Service } from '@aws-sdk/client-ecs'
import { Cluster$, Service$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { parseRegistryArn } from '../../aws/service-discovery.js'
import type { ServiceContext } from './context.js'
import { checkOrgCluster, findOrgService } from './find-service.js'
import { clusterTaskId } from '../tasks/task-output.js'

type JsonObject = { [key: string]: JsonValue }

/**
 * A service with its tags; with `all` also its cluster, task definition (the object, in place of the
 * ARN), task ids (STOPPED first, then RUNNING, every page) and Cloud Map endpoint.
 */
export async function showService(ctx: ServiceContext, cluster: string, name: string, all: boolean): Promise<JsonObject> {
  const service = await findOrgService(ctx, cluster, name)
  const shown = encode(Service$, service) as JsonObject
  if (!all) return shown

  const [clusterObject, taskDefinition, tasks, endpoint] = await Promise.all([
    checkOrgCluster(ctx, cluster),
    // A revision ECS no longer describes (deleted) shows as null rather than hiding the service.
    ctx.ecs.describeTaskDefinition(service.taskDefinition ?? ''),
    serviceTaskIds(ctx, cluster, service),
    serviceEndpoint(ctx, service),
  ])
  return {
    ...shown,
    Cluster: encode(Cluster$, clusterObject),
    TaskDefinition: taskDefinition ? encode(TaskDefinition$, taskDefinition.taskDefinition) : null,
    Tasks: tasks,
    ServiceEndpoint: endpoint,
  }
}

/** `<cluster>/<taskId>` of the service's STOPPED tasks, then its RUNNING ones. */
async function serviceTaskIds(ctx: ServiceContext, cluster: string, service: Service): Promise<string[]> {
  const serviceName = service.serviceName ?? ''
  const [stopped, running] = await Promise.all([
    ctx.ecs.listTaskArns({ cluster, serviceName, desiredStatus: 'STOPPED' }),
    ctx.ecs.listTaskArns({ cluster, serviceName, desiredStatus: 'RUNNING' }),
  ])
  return [...stopped, ...running].map(clusterTaskId)
}

/**
 * `<registry>.<namespace>` of the service's first Cloud Map registry; null when it has none, or the
 * registry has no DNS configuration, or Cloud Map no longer knows it.
 */
async function serviceEndpoint(ctx: ServiceContext, service: Service): Promise<string | null> {
  const arn = service.serviceRegistries?.[0]?.registryArn
  const parsed = arn ? parseRegistryArn(arn) : undefined
  if (!parsed) return null
  const registry = await ctx.discovery.findService(parsed.id)
  const namespaceId = registry?.DnsConfig?.NamespaceId
  if (!registry?.Name || !namespaceId) return null
  const namespace = await ctx.discovery.getNamespace(namespaceId)
  return namespace?.Name ? `${registry.Name}.${namespace.Name}` : null
}

/**
 * Seeding and inspecting moto for the services route tests: clusters, task definitions and services
 * made directly through the SDK (tagged for an org or not), and readers of what the routes left.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs'
import { IAMClient } from '@aws-sdk/client-iam'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery'
import type { FastifyInstance } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { authHeaders, TEST_ORG } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint } from '../harness/index.js'

export const OTHER_ORG = 'otherorg'

export type Owner = string | null

/** The tags a managed resource of `org` in `space` carries; `null` org: untagged. */
export function managedTags(org: Owner, space: string, flavor = 'service'): { key: string; value: string }[] {
  if (org === null) return []
  return [
    { key: 'spinup:org', value: org },
    { key: 'spinup:spaceid', value: space },
    { key: 'spinup:type', value: 'container' },
    { key: 'spinup:flavor', value: flavor },
  ]
}

/** SDK clients against moto (main account), closed after the test. */
export function motoClients() {
  const cfg = () => motoClientConfig(motoEndpoint())
  const clients = {
    ecs: new ECSClient(cfg()),
    logs: new CloudWatchLogsClient(cfg()),
    iam: new IAMClient(cfg()),
    secrets: new SecretsManagerClient(cfg()),
    discovery: new ServiceDiscoveryClient(cfg()),
  }
  onTestFinished(() => {
    for (const c of Object.values(clients)) c.destroy()
  })
  return clients
}

export interface SeedOptions {
  org?: Owner
  /** awslogs group and stream prefix of the task definition's container. */
  logGroup?: string
  streamPrefix?: string
  container?: string
}

/** A cluster, a task definition and a service in it, made directly in moto. */
export async function seedService(
  ecs: ECSClient,
  cluster: string,
  name: string,
  opts: SeedOptions = {},
): Promise<{ service: Service; taskDefinitionArn: string }> {
  const org = opts.org === undefined ? TEST_ORG : opts.org
  await ensureCluster(ecs, cluster, org)
  const family = `${name}-family`
  const container = opts.container ?? 'web'
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: container,
          image: 'nginx:alpine',
          memoryReservation: 128,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': opts.logGroup ?? cluster,
              'awslogs-stream-prefix': opts.streamPrefix ?? family,
              'awslogs-region': 'us-east-1',
            },
          },
        },
      ],
      tags: managedTags(org, cluster),
    }),
  )
  const vpc = await defaultVpcResources(motoEndpoint())
  const out = await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
      tags: managedTags(org, cluster),
    }),
  )
  return { service: out.service!, taskDefinitionArn: td.taskDefinition!.taskDefinitionArn! }
}

export async function ensureCluster(ecs: ECSClient, cluster: string, org: Owner = TEST_ORG): Promise<string> {
  const found = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }))
  const existing = found.clusters?.find((c) => c.status === 'ACTIVE')
  if (existing) return existing.clusterArn!
  const out = await ecs.send(new CreateClusterCommand({ clusterName: cluster, tags: managedTags(org, cluster) }))
  return out.cluster!.clusterArn!
}

/** The service as moto has it now (any status), or undefined. */
export async function motoService(ecs: ECSClient, cluster: string, name: string): Promise<Service | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name], include: ['TAGS'] }))
  return out.services?.[0]
}

export async function activeTaskDefinitionArns(ecs: ECSClient): Promise<string[]> {
  const out = await ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))
  return out.taskDefinitionArns ?? []
}

/** What exists in moto's main account, for "nothing was created / nothing was left behind" checks. */
export interface MotoInventory {
  activeClusters: string[]
  activeServices: string[]
  taskDefinitions: string[]
  roles: string[]
  logGroups: string[]
  secrets: string[]
  registries: string[]
}

export async function motoInventory(clients: ReturnType<typeof motoClients>): Promise<MotoInventory> {
  const { ListClustersCommand, ListServicesCommand } = await import('@aws-sdk/client-ecs')
  const { ListRolesCommand } = await import('@aws-sdk/client-iam')
  const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs')
  const { ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager')
  const { ListServicesCommand: ListRegistriesCommand } = await import('@aws-sdk/client-servicediscovery')
  const { ecs, iam, logs, secrets, discovery } = clients

  const clusterArns = (await ecs.send(new ListClustersCommand({}))).clusterArns ?? []
  const clusters = clusterArns.length
    ? ((await ecs.send(new DescribeClustersCommand({ clusters: clusterArns }))).clusters ?? [])
    : []
  const active = clusters.filter((c) => c.status === 'ACTIVE')
  const activeServices: string[] = []
  for (const c of active) {
    const arns = (await ecs.send(new ListServicesCommand({ cluster: c.clusterName }))).serviceArns ?? []
    for (const arn of arns) {
      const s = await motoService(ecs, c.clusterName!, arn)
      if (s?.status === 'ACTIVE') activeServices.push(`${c.clusterName}/${s.serviceName}`)
    }
  }
  const tds = [
    ...((await ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }))).taskDefinitionArns ?? []),
    ...((await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }))).taskDefinitionArns ?? []),
  ]
  return {
    activeClusters: active.map((c) => c.clusterName!).sort(),
    activeServices: activeServices.sort(),
    taskDefinitions: tds.map((arn) => arn.split('/').pop()!).sort(),
    roles: ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!).sort(),
    logGroups: ((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName!).sort(),
    secrets: ((await secrets.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name!).sort(),
    registries: ((await discovery.send(new ListRegistriesCommand({}))).Services ?? []).map((s) => s.Name!).sort(),
  }
}

export const EMPTY_INVENTORY: MotoInventory = {
  activeClusters: [],
  activeServices: [],
  taskDefinitions: [],
  roles: [],
  logGroups: [],
  secrets: [],
  registries: [],
}

/**
 * The service `name` in the space `space1`, made through the API (so with the space's role and log
 * group); answers its ARN.
 */
export async function createSpaceService(app: FastifyInstance, name: string, container = 'app'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: { family: name, cpu: '256', memory: '512', containerDefinitions: [{ name: container, image: 'nginx:alpine' }] },
      service: { serviceName: name, desiredCount: 1 },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ Service: { ServiceArn: string } }>().Service.ServiceArn
}

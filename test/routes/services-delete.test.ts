/**
 * DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service}[?recursive=true] against moto:
 * plain deletes answer 200; recursive ones 202 and an operation followed to its end.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeClustersCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { GetRoleCommand } from '@aws-sdk/client-iam'
import { CreateServiceCommand as CreateRegistryCommand, GetServiceCommand as GetRegistryCommand } from '@aws-sdk/client-servicediscovery'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { existsInAws, useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'
import { motoClients, motoInventory, motoService, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

type Clients = ReturnType<typeof motoClients>
interface OperationBody {
  id: string
  status: string
  kind: string
  target: Record<string, string>
  steps: { id: string; status: string }[]
  events?: { message: string }[]
  error?: { code: string; message: string }
}

const url = (service: string, cluster = 'space1', account = 'main') => `/v1/ecs/${account}/clusters/${cluster}/services/${service}`

async function create(app: FastifyInstance, name: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: { family: `${name}-fam`, cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] },
      credentials: { app: { Name: `${name}-cred`, SecretString: 'pw' } },
      service: { serviceName: name, desiredCount: 2 },
      serviceRegistry: { name, dnsConfig: { namespaceId: 'ns-abc', dnsRecords: [{ type: 'A', ttl: 30 }] } },
      ...extra,
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ ServiceDiscoveryService: { Id: string } }>()
}

const del = (app: FastifyInstance, target: string) => app.inject({ method: 'DELETE', url: target, headers: authHeaders })

async function deleteAndFollow(app: FastifyInstance, target: string): Promise<OperationBody> {
  const res = await del(app, target)
  expect(res.statusCode, res.body).toBe(202)
  expect(res.json().Service.ServiceName).toBeDefined()
  const location = String(res.headers.location)
  expect(location).toMatch(/^\/v1\/ecs\/main\/operations\//)
  expect(res.headers['x-flywheel-task']).toBe(location.split('/').at(-1))
  return waitFor(
    `operation ${location}`,
    async () => {
      const op = await app.inject({ method: 'GET', url: location, headers: authHeaders })
      expect(op.statusCode, op.body).toBe(200)
      const body = op.json<OperationBody>()
      return body.status === 'succeeded' || body.status === 'failed' ? body : undefined
    },
    60_000,
  )
}

const revisions = async (c: Clients, family: string, status: 'ACTIVE' | 'INACTIVE') =>
  (await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status }))).taskDefinitionArns ?? []
const clusterStatus = async (c: Clients) => (await c.ecs.send(new DescribeClustersCommand({ clusters: ['space1'] }))).clusters?.[0]?.status

describe('plain delete', () => {
  it('scales the service to 0, deletes it and answers it as it was, leaving everything else', async () => {
    const clients = motoClients()
    const app = await buildTestApp()
    const created = await create(app, 'www')
    const before = await motoInventory(clients)
    const res = await del(app, url('www'))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      Cluster: null,
      Credentials: null,
      TaskDefinition: null,
      Service: expect.objectContaining({ ServiceName: 'www', DesiredCount: 2, Status: 'ACTIVE' }),
      ServiceDiscoveryService: null,
    })
    const service = await motoService(clients.ecs, 'space1', 'www')
    expect(service?.status).toBe('INACTIVE')
    expect(service?.desiredCount).toBe(0)
    expect(await motoInventory(clients)).toEqual({ ...before, activeServices: [] })
    expect((await clients.discovery.send(new GetRegistryCommand({ Id: created.ServiceDiscoveryService.Id }))).Service?.Name).toBe('www')
    // Gone for the API now.
    expect((await del(app, url('www'))).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: url('www'), headers: authHeaders })).statusCode).toBe(404)
  })

  it('refuses a malformed recursive flag', async () => {
    const clients = motoClients()
    const app = await buildTestApp()
    await create(app, 'www')
    const res = await del(app, `${url('www')}?recursive=perhaps`)
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain('recursive')
    expect((await motoService(clients.ecs, 'space1', 'www'))?.status).toBe('ACTIVE')
  })
})

describe('recursive delete', () => {
  it('removes the service and what it was made of, keeping the cluster while another service uses it', async () => {
    const clients = motoClients()
    const app = await buildTestApp()
    const www = await create(app, 'www')
    const api = await create(app, 'api')

    const op = await deleteAndFollow(app, `${url('www')}?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    expect(op.kind).toBe('service.delete')
    expect(op.target).toMatchObject({ cluster: 'space1', service: 'www' })
    expect(op.steps.map((s) => [s.id, s.status])).toEqual([
      ['delete-service', 'succeeded'],
      ['delete-registries', 'succeeded'],
      ['delete-revisions', 'succeeded'],
      ['clean-up-cluster', 'succeeded'],
    ])
    expect(op.events?.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringContaining('kept cluster space1')]))

    const inventory = await motoInventory(clients)
    expect(inventory.activeServices).toEqual(['space1/api'])
    expect(inventory.registries).toEqual(['api'])
    expect(inventory.secrets).toEqual([`spinup/${TEST_ORG}/space1/api-cred`])
    expect(await revisions(clients, 'www-fam', 'ACTIVE')).toEqual([])
    expect(await revisions(clients, 'api-fam', 'ACTIVE')).toHaveLength(1)
    expect(await clusterStatus(clients)).toBe('ACTIVE')
    expect(await existsInAws(clients.iam.send(new GetRoleCommand({ RoleName: 'space1-ecsTaskExecution' })))).toBe(true)
    expect(www.ServiceDiscoveryService.Id).not.toBe(api.ServiceDiscoveryService.Id)

    // The last service of the space takes the cluster and its role with it; the log group stays.
    const last = await deleteAndFollow(app, `${url('api')}?recursive=true`)
    expect(last.status, JSON.stringify(last)).toBe('succeeded')
    expect(last.events?.map((e) => e.message)).toEqual(expect.arrayContaining(['deleted cluster space1 and its task execution role']))
    const after = await motoInventory(clients)
    expect(after).toMatchObject({ activeClusters: [], activeServices: [], roles: [], secrets: [], registries: [] })
    expect(await clusterStatus(clients)).toBe('INACTIVE')
    expect((await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'space1' }))).logGroups).toHaveLength(1)
  })

  it('keeps a registry the service was only pointed at, and a managed task definition it used', async () => {
    const clients = motoClients()
    const app = await buildTestApp()
    // A registry of the org that the service only names (a service may only name the org's registries).
    const shared = await clients.discovery.send(
      new CreateRegistryCommand({ Name: 'shared', NamespaceId: 'ns-abc', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }),
    )
    const taskdef = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/taskdefs',
      headers: authHeaders,
      payload: {
        cluster: { clusterName: 'space1' },
        taskDefinition: { family: 'job', cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] },
      },
    })
    expect(taskdef.statusCode, taskdef.body).toBe(200)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/services',
      headers: authHeaders,
      payload: { service: { cluster: 'space1', serviceName: 'svc', taskDefinition: 'job:1', serviceRegistries: [{ registryArn: shared.Service!.Arn }] } },
    })
    expect(res.statusCode, res.body).toBe(200)

    const op = await deleteAndFollow(app, `${url('svc')}?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    expect((await clients.discovery.send(new GetRegistryCommand({ Id: shared.Service!.Id }))).Service?.Name).toBe('shared')
    expect(await revisions(clients, 'job', 'ACTIVE')).toHaveLength(1)
    // The managed task definition keeps the space alive.
    expect(await clusterStatus(clients)).toBe('ACTIVE')
  })
})

describe('org isolation', () => {
  it('is a 404 for services that are not the org\'s, missing ones and other accounts, and deletes nothing', async () => {
    const clients = motoClients()
    await seedService(clients.ecs, 'space1', 'theirs', { org: OTHER_ORG })
    await seedService(clients.ecs, 'space1', 'nobody', { org: null })
    const before = await motoInventory(clients)
    const app = await buildTestApp()
    for (const target of [
      url('theirs'),
      `${url('theirs')}?recursive=true`,
      `${url('nobody')}?recursive=true`,
      url('missing'),
      url('theirs', 'nocluster'),
      url('theirs', 'space1', 'other'),
      url('theirs', 'space1', 'nope'),
    ]) {
      const res = await del(app, target)
      expect(res.statusCode, target).toBe(404)
      expect(res.body).not.toContain('arn:aws:ecs')
    }
    expect(await motoInventory(clients)).toEqual(before)
    expect((await motoService(clients.ecs, 'space1', 'theirs'))?.status).toBe('ACTIVE')
  })
})

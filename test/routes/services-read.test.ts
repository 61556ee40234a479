/**
 * GET routes of services: list, show (with and without all=true) and logs, against moto; events
 * through an SDK-level mock because moto keeps no service events.
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import { CreatePrivateDnsNamespaceCommand, CreateServiceCommand as CreateRegistryCommand } from '@aws-sdk/client-servicediscovery'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { defaultVpcResources, motoEndpoint, useMotoReset } from '../harness/index.js'
import { ensureCluster, managedTags, motoClients, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

const base = '/v1/ecs/main/clusters'

async function get(url: string) {
  const app = await buildTestApp()
  return app.inject({ method: 'GET', url, headers: authHeaders })
}

describe('GET /clusters/{cluster}/services', () => {
  it("lists the org's services only, with every service shown once, including ones without a launch type", async () => {
    const { ecs } = motoClients()
    const ours: string[] = []
    // 12 of ours: more than one DescribeServices batch of 10.
    for (let i = 0; i < 12; i++) ours.push((await seedService(ecs, 'space1', `svc-${i}`)).service.serviceArn!)
    await seedService(ecs, 'space1', 'foreign', { org: OTHER_ORG })
    await seedService(ecs, 'space1', 'untagged', { org: null })
    // Created without a launch type (as with a capacity provider strategy): still listed.
    const td = (await seedService(ecs, 'space1', 'x')).taskDefinitionArn
    await ecs.send(new DeleteServiceCommand({ cluster: 'space1', service: 'x', force: true }))
    const vpc = await defaultVpcResources(motoEndpoint())
    const noLaunchType = await ecs.send(
      new CreateServiceCommand({
        cluster: 'space1',
        serviceName: 'spot',
        taskDefinition: td,
        desiredCount: 0,
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )

    const res = await get(`${base}/space1/services`)
    expect(res.statusCode).toBe(200)
    expect(res.json<string[]>().sort()).toEqual([...ours, noLaunchType.service!.serviceArn!].sort())
  })

  it('answers service objects with their tags with all=true', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'web')
    await seedService(ecs, 'space1', 'foreign', { org: OTHER_ORG })
    const res = await get(`${base}/space1/services?all=true`)
    expect(res.statusCode).toBe(200)
    const body = res.json<{ ServiceName: string; Tags: { Key: string; Value: string }[]; Status: string }[]>()
    expect(body.map((s) => s.ServiceName)).toEqual(['web'])
    expect(body[0]!.Status).toBe('ACTIVE')
    expect(body[0]!.Tags).toContainEqual({ Key: 'spinup:org', Value: TEST_ORG })
  })

  it('answers [] for a cluster of ours without services', async () => {
    const { ecs } = motoClients()
    await ensureCluster(ecs, 'empty')
    const res = await get(`${base}/empty/services`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([])
  })

  it('is a 404 for a missing cluster, a cluster of another org and an untagged cluster', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'theirs', 'web', { org: OTHER_ORG })
    await seedService(ecs, 'nobody', 'web', { org: null })
    for (const cluster of ['missing', 'theirs', 'nobody']) {
      const res = await get(`${base}/${cluster}/services`)
      expect(res.statusCode, cluster).toBe(404)
      expect(res.json().code).toBe('NotFound')
      expect(JSON.stringify(res.json())).not.toContain('arn:aws:ecs')
    }
  })

  it('does not see a cluster of the main account through the other account', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'web')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/other/clusters/space1/services', headers: authHeaders })
    expect(res.statusCode).toBe(404)
  })

  it('refuses a malformed all flag with a 400 naming it', async () => {
    const res = await get(`${base}/space1/services?all=maybe`)
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain('all')
  })
})

describe('GET /clusters/{cluster}/services/{service}', () => {
  it('shows the service with its tags', async () => {
    const { ecs } = motoClients()
    const { service } = await seedService(ecs, 'space1', 'web')
    const res = await get(`${base}/space1/services/web`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.ServiceArn).toBe(service.serviceArn)
    expect(body.ServiceName).toBe('web')
    expect(body.Tags).toContainEqual({ Key: 'spinup:org', Value: TEST_ORG })
    expect(body.Cluster).toBeUndefined()
  })

  it('adds cluster, task definition, tasks (STOPPED first) and a null endpoint with all=true', async () => {
    const { ecs } = motoClients()
    const { taskDefinitionArn } = await seedService(ecs, 'space1', 'web')
    const vpc = await defaultVpcResources(motoEndpoint())
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'space1',
        taskDefinition: taskDefinitionArn,
        count: 2,
        launchType: 'FARGATE',
        group: 'service:web',
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
      }),
    )
    const [first, second] = run.tasks!.map((t) => t.taskArn!)
    await ecs.send(new StopTaskCommand({ cluster: 'space1', task: second! }))

    const res = await get(`${base}/space1/services/web?all=true`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.ServiceName).toBe('web')
    expect(body.Cluster.ClusterName).toBe('space1')
    expect(body.TaskDefinition.TaskDefinitionArn).toBe(taskDefinitionArn)
    expect(body.TaskDefinition.ContainerDefinitions[0].Name).toBe('web')
    const id = (arn: string) => `space1/${arn.split('/').pop()}`
    expect(body.Tasks).toEqual([id(second!), id(first!)])
    expect(body.ServiceEndpoint).toBeNull()
  })

  it('gives the Cloud Map endpoint <registry>.<namespace> with all=true', async () => {
    const { ecs, discovery } = motoClients()
    const { taskDefinitionArn } = await seedService(ecs, 'space1', 'seed')
    const vpc = await defaultVpcResources(motoEndpoint())
    await discovery.send(new CreatePrivateDnsNamespaceCommand({ Name: 'space1.local', Vpc: vpc.vpcId }))
    const { ListNamespacesCommand } = await import('@aws-sdk/client-servicediscovery')
    const ns = (await discovery.send(new ListNamespacesCommand({}))).Namespaces![0]!
    const registry = await discovery.send(
      new CreateRegistryCommand({ Name: 'api', DnsConfig: { NamespaceId: ns.Id, DnsRecords: [{ Type: 'A', TTL: 30 }] } }),
    )
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'space1',
        serviceName: 'api',
        taskDefinition: taskDefinitionArn,
        desiredCount: 0,
        serviceRegistries: [{ registryArn: registry.Service!.Arn! }],
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )
    const res = await get(`${base}/space1/services/api?all=true`)
    expect(res.statusCode).toBe(200)
    expect(res.json().ServiceEndpoint).toBe('api.space1.local')
  })

  it('is a 404 for a service of another org, an untagged, a deleted or a missing one, and a missing cluster', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'theirs', { org: OTHER_ORG })
    await seedService(ecs, 'space1', 'nobody', { org: null })
    await seedService(ecs, 'space1', 'gone')
    await ecs.send(new DeleteServiceCommand({ cluster: 'space1', service: 'gone', force: true }))
    for (const url of [
      `${base}/space1/services/theirs`,
      `${base}/space1/services/theirs?all=true`,
      `${base}/space1/services/nobody?all=true`,
      `${base}/space1/services/gone`,
      `${base}/space1/services/missing`,
      `${base}/nocluster/services/theirs`,
      '/v1/ecs/other/clusters/space1/services/theirs',
    ]) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.json().code).toBe('NotFound')
      expect(JSON.stringify(res.json())).not.toContain('arn:aws')
    }
  })

  it('shows a null task definition when ECS no longer has the revision', async () => {
    const { ecs } = motoClients()
    const { taskDefinitionArn } = await seedService(ecs, 'space1', 'web')
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))
    await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: [taskDefinitionArn] }))
    const res = await get(`${base}/space1/services/web?all=true`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().TaskDefinition).toBeNull()
  })

  it('answers at the /cluster/ spelling too', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'web')
    const res = await get('/v1/ecs/main/cluster/space1/services/web')
    expect(res.statusCode).toBe(200)
  })
})

describe('GET .../services/{service}/events (SDK-level mock: moto keeps no service events)', () => {
  it('maps the ECS events, newest first as ECS keeps them', async () => {
    const mock = mockClient(ECSClient)
    try {
      mock.on(DescribeServicesCommand).resolves({
        services: [
          {
            serviceName: 'web',
            status: 'ACTIVE',
            tags: managedTags(TEST_ORG, 'space1'),
            events: [
              { id: 'e2', createdAt: new Date('2024-05-02T10:00:00Z'), message: '(service web) has reached a steady state.' },
              { id: 'e1', createdAt: new Date('2024-05-01T10:00:00Z'), message: '(service web) has started 1 tasks.' },
            ],
          },
        ],
      })
      const res = await get(`${base}/space1/services/web/events`)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual([
        { CreatedAt: '2024-05-02T10:00:00.000Z', Id: 'e2', Message: '(service web) has reached a steady state.' },
        { CreatedAt: '2024-05-01T10:00:00.000Z', Id: 'e1', Message: '(service web) has started 1 tasks.' },
      ])
      const call = mock.commandCalls(DescribeServicesCommand)[0]!.args[0].input
      expect(call).toMatchObject({ cluster: 'space1', services: ['web'], include: ['TAGS'] })
    } finally {
      mock.restore()
    }
  })

  it('is a 404 for a service of another org (SDK-level mock)', async () => {
    const mock = mockClient(ECSClient)
    try {
      mock.on(DescribeServicesCommand).resolves({
        services: [{ serviceName: 'web', status: 'ACTIVE', tags: managedTags(OTHER_ORG, 'space1'), events: [{ id: 'x', message: 'secret' }] }],
      })
      const res = await get(`${base}/space1/services/web/events`)
      expect(res.statusCode).toBe(404)
      expect(res.body).not.toContain('secret')
    } finally {
      mock.restore()
    }
  })

  it('answers [] against moto, which records no events, and 404 for foreign services', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'web')
    await seedService(ecs, 'space1', 'theirs', { org: OTHER_ORG })
    expect((await get(`${base}/space1/services/web/events`)).json()).toEqual([])
    expect((await get(`${base}/space1/services/theirs/events`)).statusCode).toBe(404)
    expect((await get(`${base}/space1/services/missing/events`)).statusCode).toBe(404)
    expect((await get(`${base}/nocluster/services/web/events`)).statusCode).toBe(404)
  })
})

describe('GET .../services/{service}/logs', () => {
  const taskId = '0123456789abcdef0123456789abcdef'

  /** A service whose container logs to `<group>` with prefix `<prefix>`, and `count` events in its stream. */
  async function seedLogs(count: number, opts: { group?: string; prefix?: string } = {}) {
    const { ecs, logs } = motoClients()
    const group = opts.group ?? 'space1-logs'
    const prefix = opts.prefix ?? 'webfam'
    await seedService(ecs, 'space1', 'web', { logGroup: group, streamPrefix: prefix, container: 'app' })
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
    const stream = `${prefix}/app/${taskId}`
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
    const t0 = Date.now() - 60_000
    const put = async (from: number, n: number) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: Array.from({ length: n }, (_, i) => ({ timestamp: t0 + (from + i) * 1000, message: `line ${from + i}` })),
        }),
      )
    await put(0, count)
    return { t0, put }
  }

  const logsUrl = (query: string) => `${base}/space1/services/web/logs?${query}`
  const messages = (body: { Events: { Message: string }[] }) => body.Events.map((e) => e.Message)

  it("reads the stream the task definition's awslogs options imply (not the service name)", async () => {
    await seedLogs(3)
    const res = await get(logsUrl(`task=${taskId}&container=app`))
    expect(res.statusCode).toBe(200)
    // Sent as ready-made JSON text: the content type stays the one Fastify's serializer set.
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = res.json()
    expect(messages(body)).toEqual(['line 0', 'line 1', 'line 2'])
    expect(body.Events[0]).toEqual({ Timestamp: expect.any(Number), Message: 'line 0', IngestionTime: expect.any(Number) })
    expect(body.NextForwardToken).toMatch(/^f\//)
    expect(body.NextBackwardToken).toMatch(/^b\//)
  })

  it('accepts the quoted values of the seed document and the <cluster>/<id> and ARN task forms', async () => {
    await seedLogs(2)
    for (const task of [`"${taskId}"`, `space1/${taskId}`, `arn:aws:ecs:us-east-1:123456789012:task/space1/${taskId}`]) {
      const res = await get(logsUrl(`task=${encodeURIComponent(task)}&container="app"&limit="1"`))
      expect(res.statusCode, task).toBe(200)
      expect(messages(res.json())).toEqual(['line 1'])
    }
  })

  it('pages forward with limit and seq until the token comes back unchanged', async () => {
    const { put } = await seedLogs(3)
    const first = (await get(logsUrl(`task=${taskId}&container=app&limit=2`))).json()
    expect(messages(first)).toEqual(['line 1', 'line 2'])
    await put(3, 5)
    const seen: string[] = []
    let token = first.NextForwardToken as string
    for (let page = 0; page < 10; page++) {
      const body = (await get(logsUrl(`task=${taskId}&container=app&limit=2&seq=${encodeURIComponent(token)}`))).json()
      seen.push(...messages(body))
      if (body.NextForwardToken === token) break
      expect(body.Events.length).toBeLessThanOrEqual(2)
      token = body.NextForwardToken
    }
    expect(seen).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7'])
  })

  it('filters with start and end (epoch milliseconds)', async () => {
    const { t0 } = await seedLogs(6)
    const res = await get(logsUrl(`task=${taskId}&container=app&start=${t0 + 2000}&end=${t0 + 3999}`))
    expect(res.statusCode).toBe(200)
    expect(messages(res.json())).toEqual(['line 2', 'line 3'])
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=-1', 'limit'],
    ['start=abc', 'start'],
    ['end=1.5', 'end'],
    ['start=2000&end=1000', 'start'],
    ['seq=b/123', 'seq'],
    ['seq=garbage', 'seq'],
  ])('refuses %s with a 400 naming %s', async (query, name) => {
    await seedLogs(1)
    const res = await get(logsUrl(`task=${taskId}&container=app&${query}`))
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain(name)
  })

  it('requires task and container', async () => {
    for (const query of ['container=app', `task=${taskId}`, 'task=&container=app']) {
      const res = await get(logsUrl(query))
      expect(res.statusCode, query).toBe(400)
    }
  })

  it('is a 404 for a container or task that is not part of the service', async () => {
    const { ecs } = motoClients()
    await seedLogs(1)
    // A task ECS knows that belongs to another service of the cluster.
    const { taskDefinitionArn } = await seedService(ecs, 'space1', 'other')
    const vpc = await defaultVpcResources(motoEndpoint())
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'space1',
        taskDefinition: taskDefinitionArn,
        launchType: 'FARGATE',
        group: 'service:other',
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
      }),
    )
    const otherTask = run.tasks![0]!.taskArn!.split('/').pop()!
    for (const query of [
      `task=${taskId}&container=nope`,
      'task=ffffffffffffffffffffffffffffffff&container=app',
      `task=${otherTask}&container=app`,
    ]) {
      const res = await get(logsUrl(query))
      expect(res.statusCode, query).toBe(404)
    }
  })

  it('is a 404 for services of another org, even when their stream exists', async () => {
    const { ecs, logs } = motoClients()
    await seedService(ecs, 'space1', 'theirs', { org: OTHER_ORG, logGroup: 'g', streamPrefix: 'p', container: 'app' })
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: `p/app/${taskId}` }))
    const res = await get(`${base}/space1/services/theirs/logs?task=${taskId}&container=app`)
    expect(res.statusCode).toBe(404)
    expect((await get(`${base}/nocluster/services/web/logs?task=${taskId}&container=app`)).statusCode).toBe(404)
  })
})

describe('unknown account', () => {
  it('is a 404 on every read', async () => {
    for (const url of [
      '/v1/ecs/nope/clusters/space1/services',
      '/v1/ecs/nope/clusters/space1/services/web',
      '/v1/ecs/nope/clusters/space1/services/web/events',
      `/v1/ecs/nope/clusters/space1/services/web/logs?task=abc&container=app`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(404)
    }
  })
})

/**
 * POST /v1/ecs/{account}/services against moto: the seed's two example bodies verbatim, bad input
 * (refused before anything is written), org isolation, and rollback of every step.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs'
import { GetRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam'
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import {
  CreateServiceCommand as CreateRegistryCommand,
  GetServiceCommand as GetRegistryCommand,
  ListTagsForResourceCommand as ListRegistryTagsCommand,
} from '@aws-sdk/client-servicediscovery'
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { afterEach, describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { ASSUMED_ACCOUNT_ID, authHeaders, buildTestApp, TEST_ORG, testConfig, testWorkflowHooks } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, MOTO_REGION, useMotoReset } from '../harness/index.js'
import {
  EMPTY_INVENTORY,
  ensureCluster,
  managedTags,
  motoClients,
  motoInventory,
  motoService,
  OTHER_ORG,
} from './services-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const newEverything = () => seedFixture('service-create-new-everything.json') as Record<string, unknown>
const existingResources = () => seedFixture('service-create-existing-resources.json') as Record<string, unknown>

async function post(body: unknown, opts: { raw?: string; account?: string; overrides?: Record<string, unknown> } = {}) {
  const app = await buildTestApp(opts.overrides)
  return app.inject({
    method: 'POST',
    url: `/v1/ecs/${opts.account ?? 'main'}/services`,
    headers: { ...authHeaders, 'content-type': 'application/json' },
    payload: opts.raw ?? JSON.stringify(body),
  })
}

const orgTag = { Key: 'spinup:org', Value: TEST_ORG }

/** A Cloud Map registry in moto, tagged for `org` (untagged for null). */
async function orgRegistry(clients: ReturnType<typeof motoClients>, name: string, org: string | null) {
  const out = await clients.discovery.send(
    new CreateRegistryCommand({ Name: name, NamespaceId: 'ns-abc', ...(org ? { Tags: [{ Key: 'spinup:org', Value: org }] } : {}) }),
  )
  return out.Service!
}

describe('seed example: new cluster, task definition, registry, credentials and service', () => {
  it('creates everything, tagged and wired together', async () => {
    const clients = motoClients()
    const config = await testConfig()
    const account = config.accounts.get('main')!
    const res = await post(newEverything())
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()

    // Response: PascalCase, every part present.
    expect(body.Cluster.ClusterName).toBe('myclu')
    expect(body.Cluster.CapacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT'])
    expect(body.Credentials.webserver.Name).toBe(`spinup/${TEST_ORG}/myclu/myapp-webserver-cred`)
    expect(body.Credentials.webserver.ARN).toMatch(/^arn:aws:secretsmanager:/)
    expect(body.TaskDefinition.Family).toBe('webservers')
    expect(body.Service.ServiceName).toBe('www')
    expect(body.ServiceDiscoveryService.Name).toBe('www')
    expect(JSON.stringify(body)).not.toContain('dontkryptonitemebro')

    // The task definition: Fargate, the space's role, awslogs in the account's region, the credentials.
    const td = (
      await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'webservers', include: ['TAGS'] }))
    )
    const container = td.taskDefinition!.containerDefinitions![0]!
    expect(td.taskDefinition!.requiresCompatibilities).toEqual(['FARGATE'])
    expect(td.taskDefinition!.networkMode).toBe('awsvpc')
    expect(td.taskDefinition!.executionRoleArn).toMatch(/role\/myclu-ecsTaskExecution$/)
    expect(container.logConfiguration?.options).toMatchObject({
      'awslogs-group': 'myclu',
      'awslogs-stream-prefix': 'webservers',
      'awslogs-region': account.region,
    })
    expect(container.repositoryCredentials?.credentialsParameter).toBe(body.Credentials.webserver.ARN)
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: 80, protocol: 'tcp' })])
    expect(td.tags).toEqual(expect.arrayContaining([{ key: 'spinup:flavor', value: 'service' }, { key: 'CreatedBy', value: 'netid' }]))

    // The ECS service: registered in the new registry, default network, no public IP, tags propagated.
    const service = await motoService(clients.ecs, 'myclu', 'www')
    expect(service?.status).toBe('ACTIVE')
    expect(service?.desiredCount).toBe(1)
    expect(service?.taskDefinition).toBe(td.taskDefinition!.taskDefinitionArn)
    expect(service?.serviceRegistries).toEqual([{ registryArn: body.ServiceDiscoveryService.Arn }])
    expect(service?.propagateTags).toBe('SERVICE')
    expect(service?.networkConfiguration?.awsvpcConfiguration).toMatchObject({
      subnets: account.defaultSubnets,
      securityGroups: account.defaultSgs,
      assignPublicIp: 'DISABLED',
    })
    expect(service?.tags).toEqual([
      { key: 'spinup:org', value: TEST_ORG },
      { key: 'spinup:spaceid', value: 'myclu' },
      { key: 'spinup:type', value: 'container' },
      { key: 'spinup:flavor', value: 'service' },
      { key: 'CreatedBy', value: 'netid' },
      { key: 'OS', value: 'container' },
    ])

    // Cloud Map registry: custom health checks, our tags.
    const registry = await clients.discovery.send(new GetRegistryCommand({ Id: body.ServiceDiscoveryService.Id }))
    expect(registry.Service?.DnsConfig?.NamespaceId).toBe('ns-y3uaw6neshhbev3f')
    expect(registry.Service?.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 })
    const registryTags = await clients.discovery.send(new ListRegistryTagsCommand({ ResourceARN: registry.Service!.Arn }))
    expect(registryTags.Tags).toContainEqual(orgTag)

    // Cluster, role, log group and secret.
    const cluster = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['myclu'], include: ['TAGS'] }))
    expect(cluster.clusters![0]!.tags).toContainEqual({ key: 'spinup:org', value: TEST_ORG })
    await clients.iam.send(new GetRolePolicyCommand({ RoleName: 'myclu-ecsTaskExecution', PolicyName: 'ECSTaskAccessPolicy' }))
    const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'myclu' }))
    expect(groups.logGroups?.[0]?.retentionInDays).toBe(365)
    const secret = await clients.secrets.send(new GetSecretValueCommand({ SecretId: body.Credentials.webserver.ARN }))
    expect(secret.SecretString).toBe('{"username" : "supahman","password" : "dontkryptonitemebro"}')
  })

  it('adds a second service to the same space, reusing cluster, role and log group', async () => {
    const clients = motoClients()
    expect((await post(newEverything())).statusCode).toBe(200)
    const second = newEverything()
    second.service = { servicename: 'api', desiredcount: 0 }
    second.taskdefinition = { ...(second.taskdefinition as object), family: 'apis' }
    second.credentials = undefined
    second.serviceregistry = undefined
    const res = await post(second)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Credentials).toBeNull()
    expect(res.json().ServiceDiscoveryService).toBeNull()
    expect((await motoInventory(clients)).activeServices).toEqual(['myclu/api', 'myclu/www'])
  })
})

describe('step order', () => {
  it('starts cluster, role, log group, credentials and registry together, the task definition after the cluster and credentials, the service after all', async () => {
    const events: string[] = []
    testWorkflowHooks.current = {
      onStepStart: (id) => void events.push(`start ${id}`),
      onStepSuccess: (id) => void events.push(`end ${id}`),
    }
    // Calls held and let go round by round: the steps ready together start one macrotask apart, and
    // moto may answer the first before the last has started, which would say nothing about waiting.
    const app = await buildTestApp()
    const rounds = new CallRounds()
    const clients = app.accounts.get('main')!.clients
    for (const client of [clients.ecs, clients.iam, clients.logs, clients.secretsManager, clients.serviceDiscovery]) rounds.attach(client)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/services',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      payload: JSON.stringify(newEverything()),
    })
    expect(res.statusCode, res.body).toBe(200)
    const independent = ['ensure-cluster', 'ensure-task-execution-role', 'ensure-log-group', 'create-repository-credentials', 'create-service-registry']
    // All five are started before any of them has finished: none waits for another.
    expect(events.slice(0, 5).sort()).toEqual(independent.map((id) => `start ${id}`).sort())
    const at = (e: string) => events.indexOf(e)
    // The revision names the role and log group without waiting for them; it needs the secrets' ARNs
    // and the cluster's (for the account in the role's ARN).
    for (const id of ['ensure-cluster', 'create-repository-credentials']) {
      expect(at(`end ${id}`)).toBeLessThan(at('start register-task-definition'))
    }
    // The service's tasks need all of it, the role's policy included.
    for (const id of [...independent, 'register-task-definition']) {
      expect(at(`end ${id}`)).toBeLessThan(at('start create-ecs-service'))
    }
  })
})

describe('seed example: new service with existing resources', () => {
  async function existing() {
    const clients = motoClients()
    await ensureCluster(clients.ecs, 'myclu')
    await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'mytaskdef',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'app', image: 'nginx:alpine' }],
        tags: managedTags(TEST_ORG, 'myclu'),
      }),
    )
    return clients
  }

  it('creates only the service, referencing the cluster, task definition and registry as named', async () => {
    const clients = await existing()
    const registry = await orgRegistry(clients, 'shared', TEST_ORG)
    // The seed body with its registry ARN replaced by the org's registry in moto; every other key verbatim.
    const seed = existingResources()
    ;(seed.service as { serviceregistries: { registryarn: string }[] }).serviceregistries[0]!.registryarn = registry.Arn!
    const before = await motoInventory(clients)
    const res = await post(seed)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.Cluster.ClusterName).toBe('myclu')
    expect(body.TaskDefinition.Family).toBe('mytaskdef')
    expect(body.TaskDefinition.Revision).toBe(1)
    expect(body.Credentials).toBeNull()
    expect(body.ServiceDiscoveryService).toMatchObject({ Name: 'shared', Arn: registry.Arn })
    expect(body.Service.ServiceRegistries).toEqual([{ RegistryArn: registry.Arn }])
    const after = await motoInventory(clients)
    expect(after).toEqual({ ...before, activeServices: ['myclu/webapp'] })
    const service = await motoService(clients.ecs, 'myclu', 'webapp')
    expect(service?.taskDefinition).toMatch(/task-definition\/mytaskdef:1$/)
    expect(service?.tags).toContainEqual({ key: 'spinup:flavor', value: 'service' })
  })

  it('describes an existing registry of the account and never deletes it on rollback', async () => {
    const clients = await existing()
    const registry = await clients.discovery.send(new CreateRegistryCommand({ Name: 'shared', NamespaceId: 'ns-abc', Tags: [orgTag] }))
    const body = existingResources()
    ;(body.service as { serviceregistries: unknown }).serviceregistries = [{ registryarn: registry.Service!.Arn }]
    const ok = await post(body)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().ServiceDiscoveryService.Name).toBe('shared')

    // A second create that fails at its last step: the named registry stays.
    ;(body.service as { servicename: string }).servicename = 'webapp2'
    testWorkflowHooks.current = failAt('create-ecs-service')
    const failed = await post(body)
    expect(failed.statusCode).toBe(500)
    expect(failed.json().nothingToUndo).toEqual(expect.arrayContaining(['create-service-registry', 'ensure-cluster']))
    expect((await clients.discovery.send(new GetRegistryCommand({ Id: registry.Service!.Id }))).Service?.Name).toBe('shared')
    expect((await motoInventory(clients)).activeServices).toEqual(['myclu/webapp'])
  })

  it('is a 404 when the task definition or the cluster is missing or not the org\'s', async () => {
    const clients = motoClients()
    await ensureCluster(clients.ecs, 'myclu')
    expect((await post(existingResources())).statusCode).toBe(404)
    await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'mytaskdef',
        containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
        tags: managedTags(OTHER_ORG, 'myclu'),
      }),
    )
    const res = await post(existingResources())
    expect(res.statusCode).toBe(404)
    expect(res.json().detail).toContain('service.taskDefinition')
    const body = existingResources()
    ;(body.service as { cluster: string }).cluster = 'nocluster'
    expect((await post(body)).statusCode).toBe(404)
  })
})

describe('registries and target groups the body names', () => {
  async function existing() {
    const clients = motoClients()
    await ensureCluster(clients.ecs, 'myclu')
    await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'mytaskdef',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'app', image: 'nginx:alpine' }],
        tags: managedTags(TEST_ORG, 'myclu'),
      }),
    )
    return clients
  }
  const withRegistry = (arn: string) => {
    const body = existingResources()
    ;(body.service as { serviceregistries: { registryarn: string }[] }).serviceregistries[0]!.registryarn = arn
    return body
  }
  const withTargetGroup = (arn: string) => {
    const body = existingResources()
    const service = body.service as Record<string, unknown>
    delete service.serviceregistries
    service.loadbalancers = [{ targetGroupArn: arn, containerName: 'app', containerPort: 80 }]
    return body
  }

  it("refuses the seed's registry of another account, and registries not tagged for the org: 404 naming the field, nothing created", async () => {
    const clients = await existing()
    const theirs = await orgRegistry(clients, 'theirs', OTHER_ORG)
    const untagged = await orgRegistry(clients, 'untagged', null)
    const ours = await orgRegistry(clients, 'ours', TEST_ORG)
    const before = await motoInventory(clients)
    const ourId = ours.Arn!.split('/').pop()!
    for (const arn of [
      // The seed's ARN verbatim: account 001122334455 is not this account.
      'arn:aws:servicediscovery:us-east-1:001122334455:service/srv-tvtbgvkkxtts3qlf',
      theirs.Arn!,
      untagged.Arn!,
      // Our registry's id under another account and another region.
      `arn:aws:servicediscovery:us-east-1:001122334455:service/${ourId}`,
      `arn:aws:servicediscovery:eu-west-1:123456789012:service/${ourId}`,
    ]) {
      const res = await post(withRegistry(arn))
      expect(res.statusCode, arn).toBe(404)
      expect(res.json().detail).toContain('service.serviceRegistries[0].registryArn')
      expect(res.json().detail).toContain('not found in this org')
    }
    expect(await motoInventory(clients)).toEqual(before)
    expect(await motoService(clients.ecs, 'myclu', 'webapp')).toBeUndefined()
  })

  it('accepts a target group of the space, refuses one of another org or space or an unknown one: 404 naming the field, nothing created', async () => {
    const clients = await existing()
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
    const vpc = await defaultVpcResources(motoEndpoint())
    const targetGroup = async (name: string, tags: { Key: string; Value: string }[]) =>
      (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: tags })))
        .TargetGroups![0]!.TargetGroupArn!
    const space = (org: string, id: string) => [
      { Key: 'spinup:org', Value: org },
      { Key: 'spinup:spaceid', Value: id },
    ]
    try {
      const ours = await targetGroup('ours', space(TEST_ORG, 'myclu'))
      const refused = [
        await targetGroup('theirs', space(OTHER_ORG, 'myclu')),
        await targetGroup('otherspace', space(TEST_ORG, 'space2')),
        await targetGroup('untagged', []),
        ours.replace(':123456789012:', ':001122334455:'),
      ]
      const before = await motoInventory(clients)
      for (const arn of refused) {
        const res = await post(withTargetGroup(arn))
        expect(res.statusCode, arn).toBe(404)
        expect(res.json().detail).toContain('service.loadBalancers[0].targetGroupArn')
      }
      expect(await motoInventory(clients)).toEqual(before)
      const ok = await post(withTargetGroup(ours))
      expect(ok.statusCode, ok.body).toBe(200)
      expect((await motoService(clients.ecs, 'myclu', 'webapp'))?.loadBalancers?.[0]?.targetGroupArn).toBe(ours)
    } finally {
      elb.destroy()
    }
  })
})

/** Hooks that fail `step` right after it has done its work, so its own compensation runs too. */
function failAt(step: string) {
  return {
    onStepSuccess: (id: string) => {
      if (id === step) throw new Error(`injected failure after ${step}`)
    },
  }
}

describe('bad input: 400 naming the field, nothing created', () => {
  const cases: [string, () => unknown, string][] = [
    ['a null body', () => null, 'body'],
    ['an array body', () => [], 'body'],
    ['no service', () => ({ ...newEverything(), service: undefined }), 'service'],
    ['no cluster', () => ({ ...newEverything(), cluster: undefined }), 'cluster'],
    ['a cluster without a name', () => ({ ...newEverything(), cluster: {} }), 'cluster.clusterName'],
    ['a desired count of the wrong type', () => ({ ...newEverything(), service: { servicename: 'www', desiredcount: 'one' } }), 'desiredcount'],
    ['a negative desired count', () => ({ ...newEverything(), service: { servicename: 'www', desiredcount: -1 } }), 'service.desiredCount'],
    ['no service name', () => ({ ...newEverything(), service: { desiredcount: 1 } }), 'service.serviceName'],
    [
      'an unknown capacity provider',
      () => ({ ...newEverything(), service: { servicename: 'www', capacityProviderStrategy: [{ capacityProvider: 'EC2_BIG', weight: 1 }] } }),
      'capacityProvider',
    ],
    ['an EC2 launch type', () => ({ ...newEverything(), service: { servicename: 'www', launchType: 'EC2' } }), 'service.launchType'],
    [
      'a registry ARN that is not a Cloud Map service ARN',
      () => ({
        ...newEverything(),
        serviceregistry: undefined,
        service: { servicename: 'www', serviceregistries: [{ registryarn: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1' }] },
      }),
      'service.serviceRegistries[0].registryArn',
    ],
    [
      'a registry to create and one to use',
      () => ({ ...newEverything(), service: { servicename: 'www', serviceregistries: [{ registryarn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abc' }] } }),
      'serviceRegistry',
    ],
    ['credentials for a container that does not exist', () => ({ ...newEverything(), credentials: { nosuch: { Name: 'x', SecretString: 'y' } } }), 'credentials.nosuch'],
    ['credentials without a value', () => ({ ...newEverything(), credentials: { webserver: { Name: 'x' } } }), 'credentials.webserver'],
    ['credentials without a task definition', () => ({ ...existingResources(), credentials: { app: { Name: 'x', SecretString: 'y' } } }), 'credentials'],
    ['a container without an image', () => ({ ...newEverything(), taskdefinition: { family: 'f', cpu: '256', memory: '512', containerdefinitions: [{ name: 'web' }] } }), 'image'],
    ['a Fargate size that does not exist', () => ({ ...newEverything(), taskdefinition: { family: 'f', cpu: '256', memory: '4096', containerdefinitions: [{ name: 'web', image: 'x' }] } }), 'cpu'],
    ['a task definition without containers', () => ({ ...newEverything(), taskdefinition: { family: 'f', cpu: '256', memory: '512' } }), 'containerDefinitions'],
    ['a registry without a namespace', () => ({ ...newEverything(), serviceregistry: { name: 'www' } }), 'namespaceId'],
    [
      'a public IP the account does not allow',
      () => ({ ...newEverything(), service: { servicename: 'www', networkconfiguration: { awsvpcconfiguration: { assignpublicip: 'ENABLED' } } } }),
      'assignPublicIp',
    ],
    ['tags of the wrong shape', () => ({ ...newEverything(), tags: { Key: 'a' } }), 'tags'],
  ]

  it.each(cases)('%s', async (_name, body, field) => {
    const clients = motoClients()
    const res = await post(body())
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().code).toBe('BadRequest')
    expect(res.json().detail).toContain(field)
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('an empty body and malformed JSON', async () => {
    const clients = motoClients()
    for (const raw of ['', '{"service": ']) {
      const res = await post(undefined, { raw })
      expect(res.statusCode).toBe(400)
    }
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('tags naming another org: 403, nothing created', async () => {
    const clients = motoClients()
    const res = await post({ ...newEverything(), tags: [{ Key: 'spinup:org', Value: OTHER_ORG }] })
    expect(res.statusCode).toBe(403)
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('allows a public IP where the account allows it', async () => {
    const config = await testConfig()
    const accounts = Object.fromEntries(
      [...config.accounts].map(([name, a]) => [name, { ...a, allowPublicIp: true }]),
    )
    const body = { ...newEverything(), service: { servicename: 'www', networkconfiguration: { awsvpcconfiguration: { assignpublicip: 'ENABLED' } } } }
    const res = await post(body, { overrides: { accounts } })
    expect(res.statusCode, res.body).toBe(200)
    const clients = motoClients()
    expect((await motoService(clients.ecs, 'myclu', 'www'))?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('ENABLED')
  })
})

describe('org isolation and conflicts', () => {
  it('is a 404 for a cluster of another org or an unmanaged one, and changes nothing', async () => {
    const clients = motoClients()
    for (const owner of [OTHER_ORG, null]) {
      await ensureCluster(clients.ecs, 'myclu', owner)
      const before = await motoInventory(clients)
      const res = await post(newEverything())
      expect(res.statusCode, String(owner)).toBe(404)
      expect(await motoInventory(clients)).toEqual(before)
      const { DeleteClusterCommand } = await import('@aws-sdk/client-ecs')
      await clients.ecs.send(new DeleteClusterCommand({ cluster: 'myclu' }))
    }
  })

  it('is a 409 when a live service of that name exists, and the existing one is untouched', async () => {
    const clients = motoClients()
    expect((await post(newEverything())).statusCode).toBe(200)
    const before = await motoInventory(clients)
    const service = await motoService(clients.ecs, 'myclu', 'www')
    const res = await post(newEverything())
    expect(res.statusCode).toBe(409)
    expect(await motoInventory(clients)).toEqual(before)
    expect((await motoService(clients.ecs, 'myclu', 'www'))?.taskDefinition).toBe(service?.taskDefinition)
  })

  it("is a 409 for a new revision in a family of another org, another space or a task definition's, and a 404 for an existing one of another space; nothing created", async () => {
    const clients = motoClients()
    const register = async (family: string, tags: { key: string; value: string }[]) =>
      (
        await clients.ecs.send(
          new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }], tags }),
        )
      ).taskDefinition!.taskDefinitionArn!
    await register('theirs', managedTags(OTHER_ORG, 'myclu'))
    await register('elsewhere', managedTags(TEST_ORG, 'otherspace'))
    await register('onetask', managedTags(TEST_ORG, 'myclu', 'task'))
    const before = await motoInventory(clients)
    for (const [family, detail] of [
      ['theirs', 'already used outside cluster myclu'],
      ['elsewhere', 'already used outside cluster myclu'],
      ['onetask', 'belongs to a task definition of cluster myclu'],
    ] as const) {
      const body = newEverything()
      ;(body.taskdefinition as { family: string }).family = family
      const res = await post(body)
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json().detail).toContain(detail)
    }
    // An existing revision of another space of the org, by family and by ARN.
    await ensureCluster(clients.ecs, 'myclu')
    const arn = await register('elsewhere', managedTags(TEST_ORG, 'otherspace'))
    const withInventory = await motoInventory(clients)
    for (const ref of ['elsewhere', arn, 'theirs:1']) {
      const body = existingResources()
      ;(body.service as { taskdefinition: string; serviceregistries?: unknown }).taskdefinition = ref
      delete (body.service as { serviceregistries?: unknown }).serviceregistries
      const res = await post(body)
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json().detail).toContain('service.taskDefinition')
    }
    expect(await motoInventory(clients)).toEqual(withInventory)
    expect(withInventory).toEqual({ ...before, activeClusters: ['myclu'], taskDefinitions: [...before.taskDefinitions, 'elsewhere:2'].sort() })
  })

  it('creates in the account named in the path only', async () => {
    const clients = motoClients()
    // The other account's own default VPC (moto keeps one per account).
    const sts = new STSClient(motoClientConfig(motoEndpoint()))
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ASSUMED_ACCOUNT_ID}:role/ecs-api`, RoleSessionName: 't' }))
    sts.destroy()
    const c = assumed.Credentials!
    const vpc = await defaultVpcResources(motoEndpoint(), MOTO_REGION, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    })
    const config = await testConfig()
    const accounts = Object.fromEntries(
      [...config.accounts].map(([name, a]) => [
        name,
        name === 'other' ? { ...a, defaultSubnets: vpc.subnets.slice(0, 2), defaultSgs: vpc.securityGroups.slice(0, 1) } : a,
      ]),
    )
    const res = await post(newEverything(), { account: 'other', overrides: { accounts } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Service.ServiceArn).toContain(':111111111111:')
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('is a 404 for an unknown account', async () => {
    expect((await post(newEverything(), { account: 'nope' })).statusCode).toBe(404)
  })
})

describe('rollback', () => {
  const steps = [
    'ensure-cluster',
    'ensure-task-execution-role',
    'ensure-log-group',
    'create-repository-credentials',
    'create-service-registry',
    'register-task-definition',
    'create-ecs-service',
  ]

  it.each(steps)('a failure at %s leaves nothing behind and reports what was rolled back', async (step) => {
    const clients = motoClients()
    testWorkflowHooks.current = failAt(step)
    const res = await post(newEverything())
    expect(res.statusCode).toBe(500)
    const problem = res.json()
    expect(problem.failedStep).toBe(step)
    expect(problem.rolledBack).toContain(step)
    expect(problem.rollbackFailures).toEqual([])
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it.each(steps)('a failure at %s in an existing space leaves the space and its first service as they were', async (step) => {
    const clients = motoClients()
    const first = await post(newEverything())
    expect(first.statusCode).toBe(200)
    const before = await motoInventory(clients)
    const cluster = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['myclu'], include: ['TAGS'] }))
    const role = await clients.iam.send(new GetRoleCommand({ RoleName: 'myclu-ecsTaskExecution' }))

    const second = newEverything()
    second.service = { servicename: 'api', desiredcount: 1 }
    second.taskdefinition = { ...(second.taskdefinition as object), family: 'apis' }
    second.credentials = { webserver: { Name: 'api-cred', SecretString: 'x' } }
    second.serviceregistry = { name: 'api', dnsconfig: { namespaceid: 'ns-y3uaw6neshhbev3f', dnsrecords: [{ type: 'A', ttl: 30 }] } }
    testWorkflowHooks.current = failAt(step)
    const res = await post(second)
    expect(res.statusCode).toBe(500)

    expect(await motoInventory(clients)).toEqual(before)
    const clusterAfter = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['myclu'], include: ['TAGS'] }))
    expect(clusterAfter.clusters![0]!.tags).toEqual(cluster.clusters![0]!.tags)
    expect((await clients.iam.send(new GetRoleCommand({ RoleName: 'myclu-ecsTaskExecution' }))).Role?.Arn).toBe(role.Role?.Arn)
    const firstSecret = first.json().Credentials.webserver.ARN
    expect((await clients.secrets.send(new DescribeSecretCommand({ SecretId: firstSecret }))).DeletedDate).toBeUndefined()
  })

  it('rolls back everything when ECS refuses the service (a configured subnet that does not exist)', async () => {
    const clients = motoClients()
    const config = await testConfig()
    // A caller may only name the account's subnets, so the account's own is the one that is wrong.
    const accounts = Object.fromEntries([...config.accounts].map(([name, a]) => [name, { ...a, defaultSubnets: ['subnet-doesnotexist'] }]))
    const res = await post({ ...newEverything(), service: { servicename: 'www' } }, { overrides: { accounts } })
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    const problem = res.json()
    expect(problem.failedStep).toBe('create-ecs-service')
    expect(problem.rolledBack).toEqual(
      expect.arrayContaining([
        'register-task-definition',
        'create-service-registry',
        'create-repository-credentials',
        'ensure-log-group',
        'ensure-task-execution-role',
        'ensure-cluster',
      ]),
    )
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('rolls back when a credential secret of that name exists already, and leaves that secret alone', async () => {
    const clients = motoClients()
    const existing = await clients.secrets.send(
      new CreateSecretCommand({ Name: `spinup/${TEST_ORG}/myclu/myapp-webserver-cred`, SecretString: 'keep me', Tags: [orgTag] }),
    )
    const res = await post(newEverything())
    expect(res.statusCode).toBe(409)
    expect(res.json().failedStep).toBe('create-repository-credentials')
    expect(await motoInventory(clients)).toEqual({ ...EMPTY_INVENTORY, secrets: [`spinup/${TEST_ORG}/myclu/myapp-webserver-cred`] })
    const value = await clients.secrets.send(new GetSecretValueCommand({ SecretId: existing.ARN }))
    expect(value.SecretString).toBe('keep me')
  })
})

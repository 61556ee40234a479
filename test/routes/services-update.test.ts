/**
 * PUT /v1/ecs/{account}/clusters/{cluster}/services/{service} against moto: every seed update body
 * verbatim, the credentials cases, bad input, org isolation, and rollback at every step.
 */
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs'
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { CreateServiceCommand as CreateRegistryCommand } from '@aws-sdk/client-servicediscovery'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, TEST_ORG, testWorkflowHooks } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, unlessNotFound, useMotoReset } from '../harness/index.js'
import { activeTaskDefinitionArns, managedTags, motoClients, motoInventory, motoService, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const url = (service = 'web', cluster = 'space1', account = 'main') =>
  `/v1/ecs/${account}/clusters/${cluster}/services/${service}`
const WEB_SECRET = '{"username":"u","password":"web-1"}'
const PREFIX = `spinup/${TEST_ORG}/space1/`

async function put(body: unknown, target = url()) {
  const app = await buildTestApp()
  return app.inject({
    method: 'PUT',
    url: target,
    headers: { ...authHeaders, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  })
}

/**
 * A service `web` in space `space1` made through the API: family `supercool-service`, container
 * `webserver` with repository credentials.
 */
async function createService(): Promise<{ service: Record<string, unknown>; webSecretArn: string; taskDefinitionArn: string }> {
  const app = await buildTestApp()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine', environment: [{ name: 'A', value: '1' }] }],
      },
      credentials: { webserver: { Name: 'web-cred', SecretString: WEB_SECRET } },
      service: { serviceName: 'web', desiredCount: 1 },
      tags: [{ Key: 'Team', Value: 'blue' }],
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json()
  return { service: body.Service, webSecretArn: body.Credentials.webserver.ARN, taskDefinitionArn: body.TaskDefinition.TaskDefinitionArn }
}

async function secretValue(clients: ReturnType<typeof motoClients>, id: string): Promise<string | undefined> {
  return (await clients.secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString
}

/** False when the secret is gone or scheduled for deletion. */
async function secretExists(clients: ReturnType<typeof motoClients>, id: string): Promise<boolean> {
  const out = await unlessNotFound(clients.secrets.send(new DescribeSecretCommand({ SecretId: id })))
  return out !== undefined && out.DeletedDate === undefined
}

async function describeTd(clients: ReturnType<typeof motoClients>, ref: string) {
  return (await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })))
}

const container = (td: { containerDefinitions?: { name?: string }[] }, name: string) =>
  td.containerDefinitions!.find((c) => c.name === name) as { repositoryCredentials?: { credentialsParameter?: string }; environment?: unknown[] }

describe('seed update examples, verbatim', () => {
  it('updates tags and forces a redeployment', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const before = await motoService(clients.ecs, 'space1', 'web')
    const res = await put(seedFixture('service-update-tags-redeploy.json'))
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.Tags.slice(0, 4)).toEqual([
      { Key: 'spinup:org', Value: TEST_ORG },
      { Key: 'spinup:spaceid', Value: 'space1' },
      { Key: 'spinup:type', Value: 'container' },
      { Key: 'spinup:flavor', Value: 'service' },
    ])
    expect(body.Tags).toEqual(expect.arrayContaining([{ Key: 'MyKey', Value: 'MyValue' }, { Key: 'Application', Value: 'someprefix' }]))
    expect(body.Credentials).toBeNull()
    expect(body.CloudwatchLogGroups).toEqual([expect.stringMatching(/:log-group:space1$/)])

    const after = await motoService(clients.ecs, 'space1', 'web')
    expect(after?.taskDefinition).toBe(taskDefinitionArn)
    expect(after?.deployments?.[0]?.id).not.toBe(before?.deployments?.[0]?.id)
    expect(after?.tags).toEqual(expect.arrayContaining([{ key: 'MyKey', value: 'MyValue' }, { key: 'spinup:org', value: TEST_ORG }]))
    const cluster = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['space1'], include: ['TAGS'] }))
    expect(cluster.clusters![0]!.tags).toEqual(
      expect.arrayContaining([{ key: 'Name', value: 'space1' }, { key: 'MyKey', value: 'MyValue' }, { key: 'spinup:org', value: TEST_ORG }]),
    )
    expect((await describeTd(clients, taskDefinitionArn)).tags).toContainEqual({ key: 'MyKey', value: 'MyValue' })
  })

  it('registers the new task definition and redeploys; the container keeps the secret its body leaves out', async () => {
    const clients = motoClients()
    const { webSecretArn } = await createService()
    const res = await put(seedFixture('service-update-taskdef.json'))
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.TaskDefinition.Family).toBe('supercool-service')
    expect(body.TaskDefinition.Revision).toBe(2)
    expect(body.TaskDefinition.Memory).toBe('1024')
    expect(body.Credentials).toEqual({})

    const service = await motoService(clients.ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(body.TaskDefinition.TaskDefinitionArn)
    const td = (await describeTd(clients, 'supercool-service:2')).taskDefinition!
    expect(container(td, 'webserver').repositoryCredentials?.credentialsParameter).toBe(webSecretArn)
    expect(container(td, 'webserver').environment).toHaveLength(2)
    expect(await secretExists(clients, webSecretArn)).toBe(true)
    expect(await secretValue(clients, webSecretArn)).toBe(WEB_SECRET)
    expect(body.CredentialsNotDeleted).toBeUndefined()
  })

  it('changes the desired count and capacity provider strategy', async () => {
    const clients = motoClients()
    await createService()
    const res = await put(seedFixture('service-update-capacity.json'))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Service.DesiredCount).toBe(1)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.desiredCount).toBe(1)
  })

  it('adds a container with new credentials, then updates them through the ARN example', async () => {
    const clients = motoClients()
    const { webSecretArn } = await createService()
    const added = await put(seedFixture('service-update-add-credentials.json'))
    expect(added.statusCode, added.body).toBe(200)
    const creds = added.json().Credentials
    expect(creds.privateapi.Name).toBe(`${PREFIX}privateapi-cred-1`)
    const privateArn = creds.privateapi.ARN as string
    const td2 = (await describeTd(clients, 'supercool-service:2')).taskDefinition!
    expect(container(td2, 'privateapi').repositoryCredentials?.credentialsParameter).toBe(privateArn)
    expect(container(td2, 'webserver').repositoryCredentials?.credentialsParameter).toBe(webSecretArn)
    expect(await secretValue(clients, privateArn)).toContain('super-sekret-password-string')

    // The seed's ARN names another account: the container keeps its own secret, whose value changes.
    const updated = await put(seedFixture('service-update-credentials-arn.json'))
    expect(updated.statusCode, updated.body).toBe(200)
    expect(updated.json().Credentials.privateapi.ARN).toBe(privateArn)
    expect(updated.json().Credentials.privateapi.VersionStages).toEqual(['AWSCURRENT'])
    const td3 = (await describeTd(clients, 'supercool-service:3')).taskDefinition!
    expect(container(td3, 'privateapi').repositoryCredentials?.credentialsParameter).toBe(privateArn)
    expect(await secretValue(clients, privateArn)).toContain('new-super-sekret-password-string')
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(td3.taskDefinitionArn)
  })

  it('refuses the ARN example for a container that has no secret: the ARN is not a secret of the space', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const before = await motoInventory(clients)
    const res = await put(seedFixture('service-update-credentials-arn.json'))
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain('credentialsParameter')
    expect(await motoInventory(clients)).toEqual(before)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(taskDefinitionArn)
  })
})

describe('redeploy only', () => {
  it('starts a new deployment and changes nothing else', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const before = await motoService(clients.ecs, 'space1', 'web')
    const inventory = await motoInventory(clients)
    const res = await put({ ForceNewDeployment: true })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Credentials).toBeNull()
    expect(res.json().Tags).toContainEqual({ Key: 'Team', Value: 'blue' })
    const after = await motoService(clients.ecs, 'space1', 'web')
    expect(after?.deployments?.[0]?.id).not.toBe(before?.deployments?.[0]?.id)
    expect(after?.taskDefinition).toBe(taskDefinitionArn)
    expect(after?.tags).toEqual(before?.tags)
    expect(await motoInventory(clients)).toEqual(inventory)
  })
})

describe('credentials', () => {
  const td = (containers: unknown[]) => ({ family: 'supercool-service', cpu: '256', memory: '512', containerDefinitions: containers })

  it('replaces the value of a container secret from the credentials map', async () => {
    const clients = motoClients()
    const { webSecretArn } = await createService()
    const res = await put({
      taskDefinition: td([{ name: 'webserver', image: 'nginx:1' }]),
      credentials: { webserver: { SecretString: 'new' } },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Credentials.webserver.ARN).toBe(webSecretArn)
    expect(await secretValue(clients, webSecretArn)).toBe('new')
  })

  it('drops a secret the body empties explicitly, deleting it once the service runs without it', async () => {
    const clients = motoClients()
    const { webSecretArn } = await createService()
    const res = await put({ taskDefinition: td([{ name: 'webserver', image: 'nginx:1', repositoryCredentials: {} }]) })
    expect(res.statusCode, res.body).toBe(200)
    const next = (await describeTd(clients, 'supercool-service:2')).taskDefinition!
    expect(container(next, 'webserver').repositoryCredentials).toBeUndefined()
    expect(await secretExists(clients, webSecretArn)).toBe(false)
  })

  it("migrates a secret from outside the space's path, keeping its value, and deletes the old one", async () => {
    const clients = motoClients()
    await createService()
    // An older revision whose container points at a secret outside spinup/<org>/<cluster>/.
    const legacy = await clients.secrets.send(
      new CreateSecretCommand({ Name: 'legacy/webcred', SecretString: 'legacy-value', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }),
    )
    const current = (await describeTd(clients, 'supercool-service:1')).taskDefinition!
    const old = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'supercool-service',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: current.executionRoleArn,
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine', repositoryCredentials: { credentialsParameter: legacy.ARN } }],
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: old.taskDefinition!.taskDefinitionArn }))

    const res = await put({ taskDefinition: td([{ name: 'webserver', image: 'nginx:2' }]) })
    expect(res.statusCode, res.body).toBe(200)
    const migrated = res.json().Credentials.webserver
    expect(migrated.Name).toBe(`${PREFIX}webcred`)
    expect(await secretValue(clients, migrated.ARN)).toBe('legacy-value')
    const next = (await describeTd(clients, 'supercool-service:3')).taskDefinition!
    expect(container(next, 'webserver').repositoryCredentials?.credentialsParameter).toBe(migrated.ARN)
    expect(await secretExists(clients, legacy.ARN!)).toBe(false)
  })

  it('never deletes a secret of another org that an old revision pointed at', async () => {
    const clients = motoClients()
    await createService()
    const foreign = await clients.secrets.send(
      new CreateSecretCommand({ Name: 'theirs/cred', SecretString: 'theirs', Tags: [{ Key: 'spinup:org', Value: OTHER_ORG }] }),
    )
    const current = (await describeTd(clients, 'supercool-service:1')).taskDefinition!
    const old = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'supercool-service',
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        executionRoleArn: current.executionRoleArn,
        containerDefinitions: [{ name: 'webserver', image: 'nginx', repositoryCredentials: { credentialsParameter: foreign.ARN } }],
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: old.taskDefinition!.taskDefinitionArn }))
    const res = await put({ taskDefinition: td([{ name: 'webserver', image: 'nginx:2' }]), credentials: { webserver: { Name: 'fresh', SecretString: 'mine' } } })
    expect(res.statusCode, res.body).toBe(200)
    expect(await secretExists(clients, foreign.ARN!)).toBe(true)
  })
})

describe('service parameters', () => {
  it('turns a capacity provider strategy into a new deployment and an empty one into "keep" (SDK-level mock: moto does not store strategies)', async () => {
    const clients = motoClients()
    await createService()
    // Real answers for the reads, recorded UpdateService inputs.
    const cluster = (await clients.ecs.send(new DescribeClustersCommand({ clusters: ['space1'], include: ['TAGS'] }))).clusters!
    const services = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'space1', services: ['web'], include: ['TAGS'] }))).services!
    const td = await describeTd(clients, services[0]!.taskDefinition!)
    const mock = mockClient(ECSClient)
    try {
      mock.on(DescribeClustersCommand).resolves({ clusters: cluster })
      mock.on(DescribeServicesCommand).resolves({ services })
      mock.on(DescribeTaskDefinitionCommand).resolves(td)
      mock.on(UpdateServiceCommand).resolves({ service: services[0] as Service })
      expect((await put(seedFixture('service-update-capacity.json'))).statusCode).toBe(200)
      expect((await put({ Service: { DesiredCount: 2, CapacityProviderStrategy: [] } })).statusCode).toBe(200)
      const [first, second] = mock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)
      expect(first).toMatchObject({
        desiredCount: 1,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }],
        forceNewDeployment: true,
        cluster: services[0]!.clusterArn,
        service: services[0]!.serviceArn,
      })
      expect(second).toEqual({ desiredCount: 2, cluster: services[0]!.clusterArn, service: services[0]!.serviceArn })
    } finally {
      mock.restore()
    }
  })

  it('keeps the network when only security groups change, and never assigns a public IP the account forbids', async () => {
    const clients = motoClients()
    const { service } = await createService()
    const net = (service as { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: string[]; SecurityGroups: string[] } } })
      .NetworkConfiguration.AwsvpcConfiguration
    const refused = await put({ service: { networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().detail).toContain('assignPublicIp')
    const ok = await put({ service: { networkConfiguration: { awsvpcConfiguration: { securityGroups: net.SecurityGroups } } } })
    expect(ok.statusCode, ok.body).toBe(200)
    const after = await motoService(clients.ecs, 'space1', 'web')
    expect(after?.networkConfiguration?.awsvpcConfiguration).toMatchObject({ subnets: net.Subnets, assignPublicIp: 'DISABLED' })
  })
})

describe('switching to an existing revision', () => {
  it("moves the service to another revision of the org's, and refuses one of another org", async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const register = async (org: string) =>
      (
        await clients.ecs.send(
          new RegisterTaskDefinitionCommand({
            family: `fam-${org}`,
            containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
            tags: managedTags(org, 'space1'),
          }),
        )
      ).taskDefinition!.taskDefinitionArn!
    const theirs = await register(OTHER_ORG)
    const refused = await put({ Service: { TaskDefinition: theirs } })
    expect(refused.statusCode).toBe(404)
    expect(refused.json().detail).toContain('service.taskDefinition')
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(taskDefinitionArn)

    const ours = await register(TEST_ORG)
    const moved = await put({ Service: { TaskDefinition: ours } })
    expect(moved.statusCode, moved.body).toBe(200)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(ours)
  })
  it("refuses a new revision in a family of another org or space (409) and a revision of another space (404); nothing changed", async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const register = async (family: string, org: string, space: string) =>
      (
        await clients.ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
            tags: managedTags(org, space),
          }),
        )
      ).taskDefinition!.taskDefinitionArn!
    await register('fam-theirs', OTHER_ORG, 'space1')
    const otherSpace = await register('fam-space2', TEST_ORG, 'space2')
    const before = await motoInventory(clients)
    for (const family of ['fam-theirs', 'fam-space2']) {
      const res = await put({ TaskDefinition: { family, cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'nginx:2' }] } })
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json().detail).toContain(`${family} is already used outside cluster space1`)
    }
    for (const ref of [otherSpace, 'fam-space2', 'fam-space2:1']) {
      const res = await put({ Service: { TaskDefinition: ref } })
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json().detail).toContain('service.taskDefinition')
    }
    expect(await motoInventory(clients)).toEqual(before)
    expect((await activeTaskDefinitionArns(clients.ecs)).filter((a) => a.includes('fam-'))).toHaveLength(2)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(taskDefinitionArn)

    // A service that already runs another org's revision (set behind the API's back) cannot add to its family.
    const theirs = await register('fam-theirs', OTHER_ORG, 'space1')
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: theirs }))
    const res = await put({ TaskDefinition: { cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'nginx:2' }] } })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json().detail).toContain('fam-theirs is already used outside cluster space1')
    expect((await activeTaskDefinitionArns(clients.ecs)).filter((a) => a.includes('fam-theirs')).map((a) => a.split('/').pop())).toEqual([
      'fam-theirs:1',
      'fam-theirs:2',
    ])
    expect(theirs).toMatch(/fam-theirs:2$/)
  })
})

describe('bad input: 400 naming the field, nothing changed', () => {
  const cases: [string, unknown, string][] = [
    ['a null body', null, 'body'],
    ['an array body', [], 'body'],
    ['an empty update', {}, 'nothing to update'],
    ['ForceNewDeployment false alone', { ForceNewDeployment: false }, 'nothing to update'],
    ['a negative desired count', { Service: { DesiredCount: -1 } }, 'service.desiredCount'],
    ['a desired count of the wrong type', { Service: { DesiredCount: 'two' } }, 'DesiredCount'],
    ['an unknown capacity provider', { Service: { CapacityProviderStrategy: [{ CapacityProvider: 'EC2', Weight: 1 }] } }, 'capacityProvider'],
    ['a registry ARN that is not one', { Service: { ServiceRegistries: [{ RegistryArn: 'nope' }] } }, 'registryArn'],
    ['credentials without a task definition', { credentials: { webserver: { SecretString: 'x' } } }, 'credentials'],
    [
      'credentials for a container that does not exist',
      { TaskDefinition: { cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'x' }] }, credentials: { nosuch: { SecretString: 'x' } } },
      'credentials.nosuch',
    ],
    ['a task definition without containers', { TaskDefinition: { cpu: '256', memory: '512' } }, 'containerDefinitions'],
    ['a bad Fargate size', { TaskDefinition: { cpu: '256', memory: '8192', containerDefinitions: [{ name: 'w', image: 'x' }] } }, 'cpu'],
    ['tags of the wrong type', { Tags: 'a=b' }, 'tags'],
    ['a ForceNewDeployment of the wrong type', { ForceNewDeployment: 'yes' }, 'forcenewdeployment'],
  ]

  it.each(cases)('%s', async (_name, body, field) => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createService()
    const before = await motoInventory(clients)
    const res = await put(body)
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().detail.toLowerCase()).toContain(field.toLowerCase())
    expect(await motoInventory(clients)).toEqual(before)
    const service = await motoService(clients.ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(taskDefinitionArn)
    expect(service?.desiredCount).toBe(1)
  })

  it('tags naming another org: 403, nothing changed', async () => {
    const clients = motoClients()
    await createService()
    const before = await motoService(clients.ecs, 'space1', 'web')
    const res = await put({ Tags: [{ Key: 'spinup:org', Value: OTHER_ORG }] })
    expect(res.statusCode).toBe(403)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.tags).toEqual(before?.tags)
  })
})

describe('registries and target groups the body names', () => {
  it("refuses another org's registry, another account's, and a target group of another space or org: 404 naming the field, nothing changed", async () => {
    const clients = motoClients()
    await createService()
    const registry = async (name: string, org: string) =>
      (await clients.discovery.send(new CreateRegistryCommand({ Name: name, NamespaceId: 'ns-abc', Tags: [{ Key: 'spinup:org', Value: org }] }))).Service!.Arn!
    const theirs = await registry('theirs', OTHER_ORG)
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
    const vpc = await defaultVpcResources(motoEndpoint())
    const targetGroup = async (name: string, org: string, space: string) =>
      (
        await elb.send(
          new CreateTargetGroupCommand({
            Name: name,
            Protocol: 'HTTP',
            Port: 80,
            VpcId: vpc.vpcId,
            TargetType: 'ip',
            Tags: [
              { Key: 'spinup:org', Value: org },
              { Key: 'spinup:spaceid', Value: space },
            ],
          }),
        )
      ).TargetGroups![0]!.TargetGroupArn!
    try {
      const refusedGroups = [await targetGroup('theirs', OTHER_ORG, 'space1'), await targetGroup('space2', TEST_ORG, 'space2')]
      const before = await motoInventory(clients)
      const service = await motoService(clients.ecs, 'space1', 'web')
      for (const arn of [theirs, 'arn:aws:servicediscovery:us-east-1:001122334455:service/srv-tvtbgvkkxtts3qlf']) {
        const res = await put({ Service: { ServiceRegistries: [{ RegistryArn: arn }], DesiredCount: 3 } })
        expect(res.statusCode, res.body).toBe(404)
        expect(res.json().detail).toContain('service.serviceRegistries[0].registryArn')
      }
      for (const arn of refusedGroups) {
        const res = await put({ Service: { LoadBalancers: [{ TargetGroupArn: arn, ContainerName: 'webserver', ContainerPort: 80 }] } })
        expect(res.statusCode, res.body).toBe(404)
        expect(res.json().detail).toContain('service.loadBalancers[0].targetGroupArn')
      }
      expect(await motoInventory(clients)).toEqual(before)
      const after = await motoService(clients.ecs, 'space1', 'web')
      expect(after?.desiredCount).toBe(1)
      expect(after?.serviceRegistries).toEqual(service?.serviceRegistries)
      expect(after?.loadBalancers).toEqual(service?.loadBalancers)
    } finally {
      elb.destroy()
    }
  })
})

describe('org isolation', () => {
  it('is a 404 for services and clusters that are not the org\'s, missing ones, and other accounts', async () => {
    const clients = motoClients()
    await seedService(clients.ecs, 'space1', 'theirs', { org: OTHER_ORG })
    await seedService(clients.ecs, 'space1', 'nobody', { org: null })
    await seedService(clients.ecs, 'foreign', 'web', { org: OTHER_ORG })
    const before = await motoInventory(clients)
    for (const target of [url('theirs'), url('nobody'), url('web', 'foreign'), url('missing'), url('web', 'nocluster'), url('theirs', 'space1', 'other')]) {
      const res = await put({ ForceNewDeployment: true, Service: { DesiredCount: 5 }, Tags: [{ Key: 'x', Value: 'y' }] }, target)
      expect(res.statusCode, target).toBe(404)
      expect(res.body).not.toContain('arn:aws:ecs')
    }
    expect(await motoInventory(clients)).toEqual(before)
    expect((await motoService(clients.ecs, 'space1', 'theirs'))?.desiredCount).toBe(1)
    expect((await motoService(clients.ecs, 'space1', 'theirs'))?.tags).toEqual(managedTags(OTHER_ORG, 'space1'))
    expect((await put({ ForceNewDeployment: true }, url('web', 'space1', 'nope'))).statusCode).toBe(404)
  })
})

describe('rollback: the service stays on its old task definition and secrets', () => {
  const steps = [
    'ensure-task-execution-role',
    'ensure-log-group',
    'update-repository-credentials',
    'register-task-definition',
    'update-ecs-service',
    'tag-service-resources',
  ]

  it.each(steps)('after a failure at %s', async (step) => {
    const clients = motoClients()
    const { webSecretArn, taskDefinitionArn } = await createService()
    const before = await motoInventory(clients)
    testWorkflowHooks.current = {
      onStepSuccess: (id) => {
        if (id === step) throw new Error(`injected failure after ${id}`)
      },
    }
    const res = await put({
      TaskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '1024',
        containerDefinitions: [
          { name: 'webserver', image: 'nginx:2' },
          { name: 'privateapi', image: 'myorg/privateapi:latest' },
        ],
      },
      credentials: { webserver: { SecretString: 'changed' }, privateapi: { Name: 'pa', SecretString: 'pa' } },
      Service: { DesiredCount: 3 },
      Tags: [{ Key: 'Team', Value: 'red' }],
    })
    expect(res.statusCode).toBe(500)
    expect(res.json().failedStep).toBe(step)
    expect(res.json().rollbackFailures).toEqual([])

    const service = await motoService(clients.ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(taskDefinitionArn)
    expect(service?.desiredCount).toBe(1)
    expect(await secretValue(clients, webSecretArn)).toBe(WEB_SECRET)
    expect(await secretExists(clients, `${PREFIX}pa`)).toBe(false)
    expect(await activeTaskDefinitionArns(clients.ecs)).toEqual([taskDefinitionArn])
    expect(await motoInventory(clients)).toEqual(before)
  })
})

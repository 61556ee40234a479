/**
 * Preflight checks against moto and real docker-registry instances: `POST .../services/{service}/verify`
 * on what runs, and `?dryRun=true&verify=true` on what a body would run. A healthy service passes
 * every check; each failing case breaks exactly one thing and exactly that check fails.
 */
import { CreateSubnetCommand, DeleteSubnetCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs'
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { authHeaders, TEST_ORG, testConfig } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, resetMoto } from '../harness/index.js'
import { startRegistryFixture, USERS, type RegistryFixture } from '../harness/registry.js'
import { managedTags } from './services-fixtures.js'

interface Check {
  Check: string
  Status: string
  Field: string
  Resource: string
  Reason?: string
}

let fx: RegistryFixture
let app: FastifyInstance
const cfg = () => motoClientConfig(motoEndpoint())
const ecs = new ECSClient(cfg())
const SERVICE = '/v1/ecs/main/clusters/space1/services/web'
let image: string
let dbSecretArn: string
let taskDefinitionArn: string

async function secret(name: string): Promise<string> {
  const sm = new SecretsManagerClient(cfg())
  const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 's3cret', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }))
  sm.destroy()
  return out.ARN!
}

async function targetGroup(name: string, port: number): Promise<string> {
  const elb = new ElasticLoadBalancingV2Client(cfg())
  const vpc = await defaultVpcResources(motoEndpoint())
  const out = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: port,
      VpcId: vpc.vpcId,
      TargetType: 'ip',
      Tags: [
        { Key: 'spinup:org', Value: TEST_ORG },
        { Key: 'spinup:spaceid', Value: 'space1' },
      ],
    }),
  )
  elb.destroy()
  return out.TargetGroups![0]!.TargetGroupArn!
}

const container = () => ({ name: 'web', image, portMappings: [{ containerPort: 80 }], secrets: [{ name: 'DB_PASSWORD', valueFrom: dbSecretArn }] })
const taskDefinition = (c: Record<string, unknown> = {}) => ({ family: 'app', cpu: '256', memory: '512', containerDefinitions: [{ ...container(), ...c }] })

async function post(url: string, body?: unknown) {
  return app.inject({ method: body === undefined ? 'POST' : 'PUT', url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body ?? {}) })
}

/** The checks that did not pass. */
const notPassed = (checks: Check[]) => checks.filter((c) => c.Status !== 'pass')

beforeAll(async () => {
  await resetMoto(motoEndpoint())
  fx = await startRegistryFixture()
  const hosts = [fx.basic.host]
  app = await buildApp({ config: await testConfig({ images: { allowedPrivateHosts: hosts, insecureHosts: hosts, timeoutMs: 5000 } }), logger: false })
  image = `${fx.basic.host}/team/app:oci`
  dbSecretArn = await secret(`spinup/${TEST_ORG}/space1/db`)
  const tg = await targetGroup('web-80', 80)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: taskDefinition(),
      credentials: { web: { SecretString: JSON.stringify({ username: 'alice', password: USERS.alice }) } },
      service: { serviceName: 'web', desiredCount: 1, loadBalancers: [{ targetGroupArn: tg, containerName: 'web', containerPort: 80 }] },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  taskDefinitionArn = res.json().TaskDefinition.TaskDefinitionArn
}, 60_000)

afterAll(async () => {
  await app?.close()
  await fx?.stop()
  ecs.destroy()
})

describe('preflight checks', () => {
  it('pass on a healthy service, every kind of them', async () => {
    const res = await post(`${SERVICE}/verify`)
    expect(res.statusCode, res.body).toBe(200)
    const { Passed, Checks } = res.json<{ Passed: boolean; Checks: Check[] }>()
    expect(notPassed(Checks)).toEqual([])
    expect(Passed).toBe(true)
    expect(new Set(Checks.map((c) => c.Check))).toEqual(
      new Set(['task-size', 'image', 'secret', 'repository-credentials', 'log-group', 'network', 'load-balancer']),
    )
    // A dry run of the same definition passes them too.
    const dry = await post(`${SERVICE}?dryRun=true&verify=true`, { taskDefinition: taskDefinition() })
    expect(dry.statusCode, dry.body).toBe(200)
    expect(notPassed(dry.json().Checks)).toEqual([])
  })

  it('fail on a tag missing from the registry', async () => {
    const res = await post(`${SERVICE}?dryRun=true&verify=true`, { taskDefinition: taskDefinition({ image: `${fx.basic.host}/team/app:nope` }) })
    expect(res.statusCode, res.body).toBe(200)
    expect(notPassed(res.json().Checks)).toEqual([
      expect.objectContaining({ Check: 'image', Status: 'fail', Field: 'taskDefinition.containerDefinitions[0].image', Reason: expect.stringContaining('not found') }),
    ])
  })

  it('fail on a missing secret', async () => {
    const missing = `arn:aws:secretsmanager:us-east-1:123456789012:secret:spinup/${TEST_ORG}/space1/gone-AbCdEf`
    const res = await post(`${SERVICE}?dryRun=true&verify=true`, { taskDefinition: taskDefinition({ secrets: [{ name: 'X', valueFrom: missing }] }) })
    expect(notPassed(res.json().Checks)).toEqual([
      expect.objectContaining({ Check: 'secret', Status: 'fail', Field: 'taskDefinition.containerDefinitions[0].secrets[0].valueFrom', Reason: expect.stringContaining('not found in this org') }),
    ])
  })

  it("fail on a secret outside the execution role's resources", async () => {
    const elsewhere = await secret(`spinup/${TEST_ORG}/space2/db`)
    const res = await post(`${SERVICE}?dryRun=true&verify=true`, { taskDefinition: taskDefinition({ secrets: [{ name: 'X', valueFrom: elsewhere }] }) })
    expect(notPassed(res.json().Checks)).toEqual([
      expect.objectContaining({ Check: 'secret', Status: 'fail', Resource: elsewhere, Reason: expect.stringContaining('allows secretsmanager:GetSecretValue') }),
    ])
  })

  it("fail on a target group whose port is not the container's", async () => {
    const tg = await targetGroup('web-8080', 8080)
    const res = await post(`${SERVICE}?dryRun=true&verify=true`, { service: { loadBalancers: [{ targetGroupArn: tg, containerName: 'web', containerPort: 80 }] } })
    expect(res.statusCode, res.body).toBe(200)
    expect(notPassed(res.json().Checks)).toEqual([
      expect.objectContaining({ Check: 'load-balancer', Status: 'fail', Field: 'service.loadBalancers[0].targetGroupArn', Reason: expect.stringContaining('8080') }),
    ])
  })

  it('fail on a deleted subnet', async () => {
    const ec2 = new EC2Client(cfg())
    const vpc = await defaultVpcResources(motoEndpoint())
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: '172.31.200.0/24' }))).Subnet!.SubnetId!
    const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'space1', services: ['web'] }))).services![0]!
    await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: vpc.securityGroups.slice(0, 1) } } }))
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet }))
    try {
      const res = await post(`${SERVICE}/verify`)
      expect(res.json().Passed).toBe(false)
      expect(notPassed(res.json().Checks)).toEqual([
        expect.objectContaining({ Check: 'network', Status: 'fail', Resource: subnet, Field: 'service.networkConfiguration.awsvpcConfiguration.subnets[0]' }),
      ])
    } finally {
      await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', networkConfiguration: before.networkConfiguration }))
      ec2.destroy()
    }
  })

  it('fail on a public IP the account does not allow', async () => {
    const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'space1', services: ['web'] }))).services![0]!
    const vpc = before.networkConfiguration!.awsvpcConfiguration!
    // Set straight in ECS: the API itself refuses a public IP for this account.
    await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', networkConfiguration: { awsvpcConfiguration: { ...vpc, assignPublicIp: 'ENABLED' } } }))
    try {
      const res = await post(`${SERVICE}/verify`)
      expect(res.json().Passed).toBe(false)
      expect(notPassed(res.json().Checks)).toEqual([
        expect.objectContaining({ Check: 'network', Status: 'fail', Field: 'service.networkConfiguration.awsvpcConfiguration.assignPublicIp', Reason: expect.stringContaining('not allowed') }),
      ])
    } finally {
      await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', networkConfiguration: before.networkConfiguration }))
    }
  })

  /** Runs `check` while the service runs the running revision registered again straight to ECS with `change` applied. */
  async function onRevision(change: (td: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput, check: () => Promise<void>) {
    const { taskDefinition: running } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))
    const input: RegisterTaskDefinitionCommandInput = {
      family: 'app',
      cpu: running!.cpu,
      memory: running!.memory,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: running!.executionRoleArn,
      containerDefinitions: running!.containerDefinitions,
      tags: managedTags(TEST_ORG, 'space1'),
    }
    const { taskDefinition: td } = await ecs.send(new RegisterTaskDefinitionCommand(change(input)))
    await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: td!.taskDefinitionArn! }))
    try {
      await check()
    } finally {
      await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: taskDefinitionArn }))
    }
  }

  it('fail on a log group that does not exist and will not be created', async () => {
    await onRevision(
      (td) => ({
        ...td,
        containerDefinitions: td.containerDefinitions!.map((c) => ({
          ...c,
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'gone', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' } },
        })),
      }),
      async () => {
        const res = await post(`${SERVICE}/verify`)
        expect(notPassed(res.json().Checks)).toEqual([
          expect.objectContaining({ Check: 'log-group', Status: 'fail', Resource: 'gone', Field: 'taskDefinition.containerDefinitions[0].logConfiguration', Reason: expect.stringContaining('does not exist') }),
        ])
      },
    )
  })

  it('fail on repository credentials whose secret is missing (the image then cannot be asked)', async () => {
    const missing = `arn:aws:secretsmanager:us-east-1:123456789012:secret:spinup/${TEST_ORG}/space1/gone-creds-AbCdEf`
    await onRevision(
      (td) => ({ ...td, containerDefinitions: td.containerDefinitions!.map((c) => ({ ...c, repositoryCredentials: { credentialsParameter: missing } })) }),
      async () => {
        const res = await post(`${SERVICE}/verify`)
        expect(notPassed(res.json().Checks)).toEqual([
          expect.objectContaining({ Check: 'image', Status: 'skipped', Field: 'taskDefinition.containerDefinitions[0].image' }),
          expect.objectContaining({
            Check: 'repository-credentials',
            Status: 'fail',
            Field: 'taskDefinition.containerDefinitions[0].repositoryCredentials.credentialsParameter',
            Reason: expect.stringContaining('not found in this org'),
          }),
        ])
      },
    )
  })

  it('fail on a cpu/memory pair Fargate does not offer', async () => {
    // The running revision registered again (straight to ECS, which takes the pair) with only the memory changed.
    const { taskDefinition: running } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))
    const { taskDefinition: td } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'app',
        cpu: '256',
        memory: '4096',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: running!.executionRoleArn,
        containerDefinitions: running!.containerDefinitions,
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )
    await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: td!.taskDefinitionArn! }))
    try {
      const res = await post(`${SERVICE}/verify`)
      expect(notPassed(res.json().Checks)).toEqual([
        expect.objectContaining({ Check: 'task-size', Status: 'fail', Field: 'taskDefinition.cpu/memory', Reason: expect.stringContaining('memory 4096 does not fit cpu 256') }),
      ])
    } finally {
      await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', taskDefinition: taskDefinitionArn }))
    }
  })
})

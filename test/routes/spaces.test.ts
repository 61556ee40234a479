/**
 * The space routes against moto: the org's spaces with their counts, and one space's summary
 * (services with counts, images, target health and recent failures; families, secrets, parameters).
 * Another org's space is never shown and answers 404 like a missing one.
 */
import { CreateServiceCommand, DescribeServicesCommand, RunTaskCommand, StopTaskCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs'
import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { motoClients, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

const spaceTags = (org: string, space: string) => [
  { Key: 'spinup:org', Value: org },
  { Key: 'spinup:spaceid', Value: space },
]

async function runTaskOf(ecs: ECSClient, cluster: string, service: string, taskDefinition: string): Promise<string> {
  const vpc = await defaultVpcResources(motoEndpoint())
  const out = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition,
      launchType: 'FARGATE',
      group: `service:${service}`,
      networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
    }),
  )
  return out.tasks![0]!.taskArn!
}

/** Space alpha: web (behind a target group, 2 tasks, one stopped) and worker; beta: api; foreign: another org's. */
async function seedSpaces() {
  const { ecs, secrets } = motoClients()
  const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
  const ssm = new SSMClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => {
    elb.destroy()
    ssm.destroy()
  })
  await setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 })
  const vpc = await defaultVpcResources(motoEndpoint())
  const tg = await elb.send(
    new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: spaceTags(TEST_ORG, 'alpha') }),
  )
  const tgArn = tg.TargetGroups![0]!.TargetGroupArn!
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '172.31.0.10', Port: 80 }] }))

  const web = await seedService(ecs, 'alpha', 'web')
  await ecs.send(new UpdateServiceCommand({ cluster: 'alpha', service: 'web', desiredCount: 2 }))
  await seedService(ecs, 'alpha', 'worker', { container: 'worker' })
  await seedService(ecs, 'beta', 'api')
  await seedService(ecs, 'foreign', 'intruder', { org: OTHER_ORG })
  // A service of another org inside our space is not ours either.
  await seedService(ecs, 'alpha', 'stowaway', { org: OTHER_ORG })

  await runTaskOf(ecs, 'alpha', 'web', web.taskDefinitionArn)
  const crashed = await runTaskOf(ecs, 'alpha', 'web', web.taskDefinitionArn)
  await ecs.send(new StopTaskCommand({ cluster: 'alpha', task: crashed, reason: 'Essential container in task exited' }))

  await secrets.send(new CreateSecretCommand({ Name: 'alpha-db', SecretString: 'x', Tags: spaceTags(TEST_ORG, 'alpha') }))
  await secrets.send(new CreateSecretCommand({ Name: 'foreign-db', SecretString: 'x', Tags: spaceTags(OTHER_ORG, 'alpha') }))
  await ssm.send(
    new PutParameterCommand({ Name: `/${TEST_ORG}/alpha/url`, Value: 'https://example.org', Type: 'String', Tags: spaceTags(TEST_ORG, 'alpha') }),
  )
  // Another org's parameter tagged with our space's name is not ours to count.
  await ssm.send(
    new PutParameterCommand({ Name: `/${OTHER_ORG}/alpha/url`, Value: 'https://example.net', Type: 'String', Tags: spaceTags(OTHER_ORG, 'alpha') }),
  )
  return { tgArn, web }
}

describe('GET /v1/ecs/{account}/spaces', () => {
  it("lists the org's spaces with service and family counts, never another org's", async () => {
    await seedSpaces()
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      { Space: 'alpha', ClusterArn: expect.stringMatching(/:cluster\/alpha$/), Status: 'ACTIVE', ServiceCount: 2, TaskDefinitionFamilyCount: 2 },
      { Space: 'beta', ClusterArn: expect.stringMatching(/:cluster\/beta$/), Status: 'ACTIVE', ServiceCount: 1, TaskDefinitionFamilyCount: 1 },
    ])
    expect(res.body).not.toContain('foreign')
  })

  it('answers an empty list when the org has no space', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([])
  })
})

describe('GET /v1/ecs/{account}/spaces/{space}', () => {
  it("summarises the space's services, families, secrets and parameters", async () => {
    const { web } = await seedSpaces()
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces/alpha', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ Space: 'alpha', Status: 'ACTIVE', SecretCount: 1, ParameterCount: 1 })
    expect(body.Services.map((s: { ServiceName: string }) => s.ServiceName)).toEqual(['web', 'worker'])
    const [webEntry, worker] = body.Services
    expect(webEntry).toMatchObject({
      ServiceName: 'web',
      TaskDefinition: web.taskDefinitionArn,
      DesiredCount: 2,
      Containers: [{ Name: 'web', Image: 'nginx:alpine', RunningDigests: [] }],
      RecentFailures: { StoppedTasks: 1, TopReason: 'Essential container in task exited' },
    })
    expect(worker).toMatchObject({ Containers: [{ Name: 'worker', Image: 'nginx:alpine' }], RecentFailures: { StoppedTasks: 0, TopReason: null } })
    // The task counts are the ones ECS reports for each service.
    const described = await motoClients().ecs.send(new DescribeServicesCommand({ cluster: 'alpha', services: ['web', 'worker'] }))
    for (const [entry, service] of [
      [webEntry, described.services!.find((s) => s.serviceName === 'web')!],
      [worker, described.services!.find((s) => s.serviceName === 'worker')!],
    ] as const) {
      expect(entry).toMatchObject({ DesiredCount: service.desiredCount, RunningCount: service.runningCount, PendingCount: service.pendingCount })
    }
    expect(webEntry.PendingCount + webEntry.RunningCount).toBeGreaterThan(0)
    expect(body.TaskDefinitionFamilies).toEqual([
      expect.objectContaining({ Family: 'web-family', Revisions: 1, LatestTaskDefinitionArn: web.taskDefinitionArn }),
      expect.objectContaining({ Family: 'worker-family', Revisions: 1 }),
    ])
    // No autoscaling, schedules or deployments here: none of the optional sections' keys appear.
    expect(webEntry).not.toHaveProperty('Deployment')
    expect(webEntry).not.toHaveProperty('Autoscaling')
    expect(body).not.toHaveProperty('IncompleteSections')
    expect(res.body).not.toContain('stowaway')
  })

  it('shows the health of the target groups a service registers with', async () => {
    const { tgArn } = await seedSpaces()
    const { ecs } = motoClients()
    const vpc = await defaultVpcResources(motoEndpoint())
    const td = (await seedService(ecs, 'alpha', 'front')).taskDefinitionArn
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'alpha',
        serviceName: 'front-lb',
        taskDefinition: td,
        desiredCount: 1,
        launchType: 'FARGATE',
        loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 80 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
        tags: [
          { key: 'spinup:org', value: TEST_ORG },
          { key: 'spinup:spaceid', value: 'alpha' },
        ],
      }),
    )
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces/alpha', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const entry = res.json().Services.find((s: { ServiceName: string }) => s.ServiceName === 'front-lb')
    expect(entry.LoadBalancers).toEqual([
      {
        TargetGroupArn: tgArn,
        ContainerName: 'web',
        ContainerPort: 80,
        States: { healthy: 1 },
        Targets: [{ Id: '172.31.0.10', Port: '80', State: 'healthy', Reason: '' }],
      },
    ])
  })

  it("answers 404 for another org's space and for a missing one, without their data", async () => {
    await seedSpaces()
    const app = await buildTestApp()
    for (const space of ['foreign', 'nowhere']) {
      const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/spaces/${space}`, headers: authHeaders })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'NotFound', detail: `space ${space} not found` })
      expect(res.body).not.toContain('intruder')
    }
  })
})

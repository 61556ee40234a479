/** The shape of the create orchestrations' call graphs, released round by round (see CallRounds). */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { ListRolesCommand } from '@aws-sdk/client-iam'
import { CreateServiceCommand as CreateRegistryCommand } from '@aws-sdk/client-servicediscovery'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { useMotoReset } from '../harness/index.js'
import { ensureCluster, managedTags, motoClients } from './services-fixtures.js'
import { createBody } from './taskdefs-fixtures.js'

useMotoReset()

async function postInRounds(app: FastifyInstance, url: string, body: unknown): Promise<string[][]> {
  const rounds = new CallRounds()
  const clients = app.accounts.get('main')!.clients
  const named = (name: string) => (operation: string) => `${name}:${operation}`
  rounds.attach(clients.ecs, named('ecs'))
  rounds.attach(clients.iam, named('iam'))
  rounds.attach(clients.logs, named('logs'))
  rounds.attach(clients.secretsManager, named('secrets'))
  rounds.attach(clients.serviceDiscovery, named('sd'))
  const res = await app.inject({ method: 'POST', url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
  expect(res.statusCode, res.body).toBe(200)
  return rounds.rounds
}

describe('create orchestrations, their calls released round by round', () => {
  it('service create of a new space: the cluster is described once, 4 calls deep', async () => {
    const rounds = await postInRounds(await buildTestApp(), '/v1/ecs/main/services', seedFixture('service-create-new-everything.json'))
    expect(rounds).toEqual([
      // The family check, and the role and log group steps' lookups (reads), run beside the cluster lookup.
      ['ecs:DescribeClusters', 'ecs:DescribeTaskDefinition', 'iam:GetRole', 'logs:DescribeLogGroups'],
      ['ecs:CreateCluster', 'iam:CreateRole', 'logs:CreateLogGroup', 'sd:CreateService', 'secrets:CreateSecret'],
      // The revision names the role and log group made beside it; the new group's ARN is built, not asked for.
      ['ecs:RegisterTaskDefinition', 'iam:PutRolePolicy', 'logs:PutRetentionPolicy'],
      // The service's tasks need the role with its policy: it waits for them.
      ['ecs:CreateService'],
    ])
  })

  it('service create in an existing cluster: its services are described beside it, the cluster step makes no call', async () => {
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
    const registry = await clients.discovery.send(
      new CreateRegistryCommand({ Name: 'shared', NamespaceId: 'ns-abc', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }),
    )
    const body = seedFixture('service-create-existing-resources.json') as { service: { serviceregistries: { registryarn: string }[] } }
    body.service.serviceregistries[0]!.registryarn = registry.Service!.Arn!
    const rounds = await postInRounds(await buildTestApp(), '/v1/ecs/main/services', body)
    // The registry is looked up (and its tags read) with the other checks; the registry step reuses it.
    expect(rounds).toEqual([
      ['ecs:DescribeClusters', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'sd:GetService', 'sd:ListTagsForResource'],
      ['ecs:CreateService'],
    ])
  })

  it('task definition create of a new space: the cluster is described once, 3 calls deep', async () => {
    const rounds = await postInRounds(await buildTestApp(), '/v1/ecs/main/taskdefs', createBody())
    expect(rounds).toEqual([
      ['ecs:DescribeClusters', 'ecs:DescribeTaskDefinition', 'iam:GetRole', 'logs:DescribeLogGroups'],
      ['ecs:CreateCluster', 'iam:CreateRole', 'logs:CreateLogGroup', 'secrets:CreateSecret'],
      ['ecs:RegisterTaskDefinition', 'iam:PutRolePolicy', 'logs:PutRetentionPolicy'],
    ])
  })

  it('task definition create in a cluster of another org: 404, the early lookups were reads and nothing was made', async () => {
    const clients = motoClients()
    await ensureCluster(clients.ecs, 'theirs', 'another-org')
    const app = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/taskdefs',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      payload: JSON.stringify(createBody({ cluster: { clustername: 'theirs' } })),
    })
    expect(res.statusCode, res.body).toBe(404)
    const roles = await clients.iam.send(new ListRolesCommand({}))
    expect(roles.Roles?.map((r) => r.RoleName)).not.toContain('theirs-ecsTaskExecution')
    const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'theirs' }))
    expect(groups.logGroups ?? []).toEqual([])
  })
})

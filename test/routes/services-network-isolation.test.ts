/**
 * What a service create or update may name besides registries and target groups: no classic load
 * balancer (Fargate services cannot use one), only the account's configured subnets and security
 * groups, and task definitions of this account and region. Each refusal is a 4xx naming the field,
 * before anything is written.
 */
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { ASSUMED_ACCOUNT_ID, authHeaders, buildTestApp, TEST_ORG, testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { ensureCluster, managedTags, motoClients, motoInventory, motoService, seedService } from './services-fixtures.js'

useMotoReset()

async function send(method: 'POST' | 'PUT', url: string, body: unknown) {
  const app = await buildTestApp()
  return app.inject({ method, url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
}
const create = (body: unknown) => send('POST', '/v1/ecs/main/services', body)
const update = (body: unknown) => send('PUT', '/v1/ecs/main/clusters/space1/services/web', body)

function expectRefused(res: Awaited<ReturnType<typeof send>>, status: number, field: string) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json().code).toBe(status === 400 ? 'BadRequest' : 'NotFound')
  expect(res.json().detail).toContain(field)
}

/** The account's configured network (moto's default VPC: two subnets, one security group). */
async function accountNetwork() {
  const main = (await testConfig()).accounts.get('main')!
  return { subnets: [...(main.defaultSubnets ?? [])], sgs: [...(main.defaultSgs ?? [])] }
}

/** Cluster `myclu` and task definition `mytaskdef:1` of the org in moto; the seed's body naming them, without its registry. */
async function existing(service: Record<string, unknown> = {}) {
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
  const body = seedFixture('service-create-existing-resources.json') as { service: Record<string, unknown> }
  delete body.service.serviceregistries
  Object.assign(body.service, service)
  return { clients, body }
}

const classic = [{ loadBalancerName: 'classic-lb', containerName: 'app', containerPort: 80 }]
const foreignTaskDefinitions = (family: string) => [
  `arn:aws:ecs:us-east-1:${ASSUMED_ACCOUNT_ID}:task-definition/${family}:1`,
  `arn:aws:ecs:us-west-2:123456789012:task-definition/${family}:1`,
]

describe('service create', () => {
  it('refuses a classic load balancer: 400 naming the field, nothing created', async () => {
    const { clients, body } = await existing({ loadbalancers: classic })
    const before = await motoInventory(clients)
    expectRefused(await create(body), 400, 'service.loadBalancers[0].loadBalancerName')
    expect(await motoInventory(clients)).toEqual(before)
  })

  it("refuses subnets and security groups the account does not configure, accepts a part of its own", async () => {
    const net = await accountNetwork()
    const cases: [Record<string, unknown>, string][] = [
      [{ subnets: [net.subnets[0], 'subnet-0123456789abcdef0'] }, 'service.networkConfiguration.awsvpcConfiguration.subnets[1]'],
      [{ subnets: net.subnets, securityGroups: ['sg-0123456789abcdef0'] }, 'service.networkConfiguration.awsvpcConfiguration.securityGroups[0]'],
    ]
    const { clients, body } = await existing()
    const before = await motoInventory(clients)
    for (const [vpc, field] of cases) {
      const res = await create({ ...body, service: { ...body.service, networkconfiguration: { awsvpcconfiguration: vpc } } })
      expectRefused(res, 400, field)
      expect(res.json().detail).toMatch(/is not one of the account's (defaultSubnets|defaultSgs)/)
    }
    expect(await motoInventory(clients)).toEqual(before)

    const ok = await create({ ...body, service: { ...body.service, networkConfiguration: { awsvpcConfiguration: { subnets: net.subnets.slice(1), securityGroups: net.sgs } } } })
    expect(ok.statusCode, ok.body).toBe(200)
    const made = await motoService(clients.ecs, 'myclu', 'webapp')
    expect(made?.networkConfiguration?.awsvpcConfiguration).toMatchObject({ subnets: net.subnets.slice(1), securityGroups: net.sgs })
  })

  it('refuses service.taskDefinition as an ARN of another account or region: 404 naming the field, nothing created; its own ARN works', async () => {
    const { clients, body } = await existing()
    const before = await motoInventory(clients)
    for (const arn of foreignTaskDefinitions('mytaskdef')) {
      expectRefused(await create({ ...body, service: { ...body.service, taskdefinition: arn } }), 404, 'service.taskDefinition')
    }
    expect(await motoInventory(clients)).toEqual(before)
    const own = 'arn:aws:ecs:us-east-1:123456789012:task-definition/mytaskdef:1'
    const ok = await create({ ...body, service: { ...body.service, taskdefinition: own } })
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await motoService(clients.ecs, 'myclu', 'webapp'))?.taskDefinition).toBe(own)
  })
})

describe('service update', () => {
  /** The parts of the service an update could change. */
  const state = async (clients: ReturnType<typeof motoClients>) => {
    const s = await motoService(clients.ecs, 'space1', 'web')
    return { taskDefinition: s?.taskDefinition, network: s?.networkConfiguration, loadBalancers: s?.loadBalancers, deployments: s?.deployments?.length }
  }

  it('refuses a classic load balancer, foreign subnets and security groups (400) and task definitions of another account or region (404); the service is unchanged', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedService(clients.ecs, 'space1', 'web')
    const net = await accountNetwork()
    const before = await state(clients)
    const cases: [Record<string, unknown>, number, string][] = [
      [{ loadBalancers: classic }, 400, 'service.loadBalancers[0].loadBalancerName'],
      [{ networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'] } } }, 400, 'service.networkConfiguration.awsvpcConfiguration.subnets[0]'],
      [
        { networkConfiguration: { awsvpcConfiguration: { securityGroups: [...net.sgs, 'sg-0123456789abcdef0'] } } },
        400,
        'service.networkConfiguration.awsvpcConfiguration.securityGroups[1]',
      ],
      ...foreignTaskDefinitions('web-family').map((arn): [Record<string, unknown>, number, string] => [{ taskDefinition: arn }, 404, 'service.taskDefinition']),
    ]
    for (const [service, status, field] of cases) {
      expectRefused(await update({ service }), status, field)
    }
    expect(await state(clients)).toEqual(before)

    // The account's own subnets and its own ARN are fine.
    const ok = await update({ service: { taskDefinition: taskDefinitionArn, networkConfiguration: { awsvpcConfiguration: { subnets: net.subnets } } } })
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await state(clients)).network?.awsvpcConfiguration?.subnets).toEqual(net.subnets)
  })
})

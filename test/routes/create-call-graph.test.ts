/**
 * The shape of the create orchestrations' call graphs, without a clock: every AWS call the app makes
 * is held and let go in rounds, each round once the previous one has finished and the app has
 * started all it could start after it. A call thus lands in the round of its depth in the call graph,
 * as if every call took the same time, and the number of rounds is the length of the critical path.
 */
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { CreateServiceCommand as CreateRegistryCommand } from '@aws-sdk/client-servicediscovery'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { ensureCluster, managedTags, motoClients } from './services-fixtures.js'
import { createBody } from './taskdefs-fixtures.js'

useMotoReset()

interface Stack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'high'; name: string },
    ): void
  }
}

class Rounds {
  /** The `client:Operation` labels of the calls of each round, sorted. */
  readonly rounds: string[][] = []
  #waiting: Array<{ label: string; go: () => void }> = []
  #inFlight = 0
  #checkQueued = false

  /** Holds every call of `client` until its round. */
  attach(name: string, client: unknown): void {
    ;(client as Stack).middlewareStack.add(
      (next, ctx) => async (args) => {
        const label = `${name}:${(ctx.commandName ?? '').replace(/Command$/, '')}`
        await new Promise<void>((go) => {
          this.#waiting.push({ label, go })
          this.#queueCheck()
        })
        try {
          return await next(args)
        } finally {
          this.#inFlight--
          this.#queueCheck()
        }
      },
      { step: 'initialize', priority: 'high', name: 'rounds' },
    )
  }

  // A macrotask later, so every call that the last finished one made possible has been started.
  #queueCheck(): void {
    if (this.#checkQueued) return
    this.#checkQueued = true
    setImmediate(() => {
      this.#checkQueued = false
      if (this.#inFlight > 0 || this.#waiting.length === 0) return
      const round = this.#waiting.splice(0)
      this.#inFlight = round.length
      this.rounds.push(round.map((c) => c.label).sort())
      for (const c of round) c.go()
    })
  }
}

async function postInRounds(app: FastifyInstance, url: string, body: unknown): Promise<string[][]> {
  const rounds = new Rounds()
  const clients = app.accounts.get('main')!.clients
  rounds.attach('ecs', clients.ecs)
  rounds.attach('iam', clients.iam)
  rounds.attach('logs', clients.logs)
  rounds.attach('secrets', clients.secretsManager)
  rounds.attach('sd', clients.serviceDiscovery)
  const res = await app.inject({ method: 'POST', url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
  expect(res.statusCode, res.body).toBe(200)
  return rounds.rounds
}

describe('create orchestrations, their calls released round by round', () => {
  it('service create of a new space: the cluster is described once, 6 calls deep', async () => {
    const rounds = await postInRounds(await buildTestApp(), '/v1/ecs/main/services', seedFixture('service-create-new-everything.json'))
    expect(rounds).toEqual([
      // The family check runs beside the cluster lookup.
      ['ecs:DescribeClusters', 'ecs:DescribeTaskDefinition'],
      ['ecs:CreateCluster', 'iam:GetRole', 'logs:DescribeLogGroups', 'sd:CreateService', 'secrets:CreateSecret'],
      ['iam:CreateRole', 'logs:CreateLogGroup'],
      ['iam:PutRolePolicy', 'logs:DescribeLogGroups', 'logs:PutRetentionPolicy'],
      ['ecs:RegisterTaskDefinition'],
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

  it('task definition create of a new space: the cluster is described once, 5 calls deep', async () => {
    const rounds = await postInRounds(await buildTestApp(), '/v1/ecs/main/taskdefs', createBody())
    expect(rounds).toEqual([
      ['ecs:DescribeClusters', 'ecs:DescribeTaskDefinition'],
      ['ecs:CreateCluster', 'iam:GetRole', 'logs:DescribeLogGroups', 'secrets:CreateSecret'],
      ['iam:CreateRole', 'logs:CreateLogGroup'],
      ['iam:PutRolePolicy', 'logs:DescribeLogGroups', 'logs:PutRetentionPolicy'],
      ['ecs:RegisterTaskDefinition'],
    ])
  })
})

/**
 * What a replica remembers of a cluster's org never outlives the cluster: several app instances
 * against one moto stand for replicas of the API (each with its own memory), and another org's app
 * for that org's replicas. A cluster deleted and recreated elsewhere, or re-tagged for another org,
 * is a 404 at once for the replica that had listed it.
 */
import { DeleteServiceCommand, TagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { injectCounting } from './aws-call-counts.js'
import { deleteAndFollow } from './delete-operation-helpers.js'
import { createSpaceService as createService, motoClients, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

const services = '/v1/ecs/main/clusters/space1/services'

/** Lists space1 on `app` until its memory holds the cluster: the second list skips DescribeClusters. */
async function listRemembering(app: FastifyInstance, arn: string): Promise<void> {
  for (const expected of [1, 0]) {
    const { res, calls } = await injectCounting(app, { method: 'GET', url: services, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual([arn])
    expect(calls['ECS:DescribeClusters'] ?? 0).toBe(expected)
  }
}

async function expectGone(app: FastifyInstance): Promise<void> {
  const { res, calls } = await injectCounting(app, { method: 'GET', url: services, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(404)
  expect(res.json().detail).toBe('cluster space1 not found')
  // The memory was not taken for an answer: the cluster itself was asked.
  expect(calls['ECS:DescribeClusters']).toBe(1)
}

describe('the cluster memory of a replica', () => {
  it('answers 404 once another replica deleted the cluster and another org recreated it', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    const otherOrg = await buildTestApp({ org: OTHER_ORG })
    const ours = await createService(replicaA, 'web')
    await listRemembering(replicaA, ours)

    // Another replica of our org deletes the service and, with it, the space's cluster.
    const op = await deleteAndFollow(replicaA2, `${services}/web?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    // The other org makes its own space of the same name, with a service in it.
    const theirs = await createService(otherOrg, 'theirs')
    expect((await otherOrg.inject({ method: 'GET', url: services, headers: authHeaders })).json()).toEqual([theirs])

    await expectGone(replicaA)
    // And the other org's service in it is no more ours to see than before.
    const show = await replicaA.inject({ method: 'GET', url: `${services}/theirs`, headers: authHeaders })
    expect(show.statusCode, show.body).toBe(404)
  })

  it('answers 404 once the cluster was deleted elsewhere and not recreated', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    const ours = await createService(replicaA, 'web')
    await listRemembering(replicaA, ours)
    const op = await deleteAndFollow(replicaA2, `${services}/web?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    await expectGone(replicaA)
  })

  it('answers 404 once the cluster was re-tagged for another org outside the API, when no service of ours is left in it', async () => {
    const replicaA = await buildTestApp()
    const ours = await createService(replicaA, 'web')
    await listRemembering(replicaA, ours)
    const { ecs } = motoClients()
    await ecs.send(new UpdateServiceCommand({ cluster: 'space1', service: 'web', desiredCount: 0 }))
    await ecs.send(new DeleteServiceCommand({ cluster: 'space1', service: 'web' }))
    const clusterArn = ours.replace(/:service\/space1\/web$/, ':cluster/space1')
    await ecs.send(new TagResourceCommand({ resourceArn: clusterArn, tags: [{ key: 'spinup:org', value: OTHER_ORG }] }))
    await expectGone(replicaA)
  })

  it('is forgotten when this replica deletes the cluster, and a new cluster of ours is checked again', async () => {
    const replicaA = await buildTestApp()
    const first = await createService(replicaA, 'web')
    await listRemembering(replicaA, first)
    const op = await deleteAndFollow(replicaA, `${services}/web?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    const second = await createService(replicaA, 'web2')
    await listRemembering(replicaA, second)
  })

  it('is not kept when the config turns it off (0 seconds)', async () => {
    const app = await buildTestApp({ orgCacheSeconds: 0 })
    await createService(app, 'web')
    for (let i = 0; i < 2; i++) {
      const { res, calls } = await injectCounting(app, { method: 'GET', url: services, headers: authHeaders })
      expect(res.statusCode, res.body).toBe(200)
      expect(calls['ECS:DescribeClusters']).toBe(1)
    }
  })
})

/**
 * The limits of deployments with the default settings: the history answers at least the last 20
 * deployments of a service, newest first, and a wait may be up to 600 seconds (more is a 400 that
 * names the input, with nothing created).
 */
import { ListClustersCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed } from '../harness/rollout-simulator.js'
import { motoClients } from './services-fixtures.js'
import { create, createBody, servicesUrl, settled, simApp, simulator } from './deployments-fixtures.js'

useMotoReset()

describe('deployment limits with the default settings (rollout simulator)', () => {
  it('the history lists the last 21 deployments of a service, newest first, each with its ids and counts (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const first = await create(app)
    expect(first.statusCode, first.body).toBe(200)
    const ids = [first.headers['x-deployment-id'] as string]
    // Desired-count changes are deployments too; each replaces the one before it.
    for (let count = 3; ids.length < 21; count += 1) {
      const res = await app.inject({ method: 'PUT', url: `${servicesUrl()}/web`, headers: authHeaders, payload: { service: { desiredCount: count } } })
      expect(res.statusCode, res.body).toBe(200)
      ids.push(res.headers['x-deployment-id'] as string)
    }
    expect(new Set(ids).size).toBe(21)

    const list = await app.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
    expect(list.statusCode, list.body).toBe(200)
    const history = list.json<Record<string, unknown>[]>()
    expect(history.map((d) => d.Id)).toEqual([...ids].reverse())
    expect(history[0]).toMatchObject({ Kind: 'update', DesiredCount: 22, Revision: 1, RequestId: expect.any(String), TokenId: expect.any(String), StartedAt: expect.any(String) })
    // Only the kind: an older deployment's counts are what its tracker last saw, maybe after a newer change.
    expect(history.at(-1)).toMatchObject({ Kind: 'create' })
  })

  it('a wait may be up to 600 seconds by default; more is a 400 naming the input and nothing is created (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    for (const [query, prefer, field] of [
      ['?wait=601', undefined, 'wait'],
      ['', 'wait=600.5', 'Prefer'],
    ] as const) {
      const res = await create(app, createBody(), prefer ? { prefer } : {}, query)
      expect(res.statusCode, `${query} ${prefer}: ${res.body}`).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', field })
      expect(res.json().detail).toContain('at most 600 seconds')
    }
    const { ecs } = motoClients()
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([])

    // 600 itself is accepted; the answer comes as soon as the deployment ends.
    sim.script('web', [{ deployments: completed() }])
    const res = await create(app, createBody(), {}, '?wait=600')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['preference-applied']).toBe('wait=600')
    expect(res.json().Deployment).toMatchObject({ Kind: 'create', Outcome: 'SUCCEEDED' })
    await settled(app, res.headers['x-deployment-id'] as string)
  })
})

/**
 * Deployments outlive their process and are tracked once per service: a server SIGKILLed while its
 * tracker runs leaves the deployment to the next process on the same SQLite file, which finishes it
 * with its history; two replicas on Redis share deployments with one tracker per service.
 */
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { startRedis, type RedisServer } from '../harness/redis.js'
import { completed, inProgress } from '../harness/rollout-simulator.js'
import { tempDir, waitFor } from '../operations/helpers.js'
import { killAllServers, serverConfig, startServer } from '../operations/server-process.js'
import { accountsAt, create, createBody, getDeployment, servicesUrl, settled, simApp, simulator } from './deployments-fixtures.js'

useMotoReset()

const dirs: string[] = []
afterEach(() => {
  killAllServers()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis.stop()
})
beforeEach(async () => {
  await redis.flush()
})

describe('deployments across process deaths and replicas (rollout simulator)', () => {
  it('a server SIGKILLed while tracking leaves the deployment to the next process, which finishes it with its history (rollout simulator)', { timeout: 60_000 }, async () => {
    const dir = tempDir()
    dirs.push(dir)
    const sqlitePath = join(dir, 'operations.sqlite')
    const sim = await simulator()
    sim.script('web', [{ deployments: inProgress(0), polls: 2 }, { deployments: inProgress(1) }])

    // The deployment starts in one app, which stops (its tracker pauses, the deployment is queued again).
    const first = await simApp(sim, { operations: { sqlitePath } })
    const res = await create(first)
    expect(res.statusCode, res.body).toBe(200)
    const id = res.headers['x-deployment-id'] as string
    await waitFor('the first tracker to record progress', async () => ((await getDeployment(first, id)).RunningCount === 1 ? true : undefined))
    await first.close()

    // A server process on the same file resumes it; it is killed while its tracker looks at the service.
    const server = await startServer(dir, serverConfig(dir, { accounts: await accountsAt(sim.endpoint) }), 'tracker')
    const seen = sim.describeCalls('web')
    await waitFor('the server process to track the service', () => sim.describeCalls('web') > seen + 1)
    expect((await server.operation(id)).status).toBe('running')
    expect(await server.stop('SIGKILL')).toBeNull()

    // The next process finds it abandoned and finishes it; the history from before is kept.
    sim.script('web', [{ deployments: completed() }])
    const second = await simApp(sim, { operations: { sqlitePath } })
    await second.ready()
    const d = await settled(second, id)
    expect(d).toMatchObject({ Id: id, Kind: 'create', Outcome: 'SUCCEEDED', RunningCount: 2 })
    const states = (d.Timeline as Record<string, unknown>[]).filter((e) => e.Type === 'deployment').map((e) => [e.Outcome, e.RunningCount])
    expect(states).toEqual([
      ['IN_PROGRESS', 0],
      ['IN_PROGRESS', 1],
      ['SUCCEEDED', 2],
    ])
    const op = await second.inject({ method: 'GET', url: `/v1/ecs/main/operations/${id}`, headers: authHeaders })
    expect(op.json().runs).toBeGreaterThanOrEqual(3)
  })

  it('two replicas on Redis: either answers the deployment, one tracker looks at the service per round (rollout simulator)', { timeout: 30_000 }, async () => {
    const sim = await simulator()
    const replica = () => simApp(sim, { redis: redis.url, operations: { lockDurationMs: 2000, stalledIntervalMs: 1000 } })
    const [a, b] = [await replica(), await replica()]
    await Promise.all([a.ready(), b.ready()])
    sim.script('web', [{ deployments: inProgress(0), polls: 4 }, { deployments: inProgress(1), polls: 4 }, { deployments: completed() }])
    sim.script('api', [{ deployments: inProgress(0), polls: 4 }, { deployments: completed() }])

    // Two deployments of one service (the second replaces the first) and one of another, from both replicas.
    const web1 = (await create(a)).headers['x-deployment-id'] as string
    const api = (await create(b, createBody('api'))).headers['x-deployment-id'] as string
    const web2 = await b.inject({ method: 'PUT', url: `${servicesUrl()}/web`, headers: authHeaders, payload: { service: { desiredCount: 3 } } })
    expect(web2.statusCode, web2.body).toBe(200)
    const web2Id = web2.headers['x-deployment-id'] as string

    // A watcher on replica A waits for the deployment replica B started.
    const waited = await a.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments/${web2Id}`, headers: authHeaders })
    expect(waited.statusCode).toBe(200)
    expect(await settled(a, web2Id)).toMatchObject({ Kind: 'update', Outcome: 'SUCCEEDED', DesiredCount: 3 })
    const replaced = await settled(b, web1)
    expect(replaced).toMatchObject({ Outcome: 'ABORTED', Reason: expect.stringContaining(`superseded by deployment ${web2Id}`) })
    // The newer deployment's tracker looked at the service only after the older one's had stopped.
    const newer = await getDeployment(b, web2Id)
    const firstLook = (newer.Timeline as { At: string }[])[0]!.At
    expect(Date.parse(firstLook)).toBeGreaterThanOrEqual(Date.parse(replaced.FinishedAt as string))
    expect(await settled(a, api, 'api')).toMatchObject({ Outcome: 'SUCCEEDED' })

    // Each deployment ran once, on one replica: no two trackers looked at a service at once.
    for (const [app, id] of [[a, web1], [b, web2Id], [a, api]] as const) {
      const op = await app.inject({ method: 'GET', url: `/v1/ecs/main/operations/${id}`, headers: authHeaders })
      expect(op.json().runs).toBe(1)
    }
    const list = await b.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
    expect(list.json().map((d: { Id: string }) => d.Id)).toEqual([web2Id, web1])
  })

  it('trackers run beside the operation slots: deployments in flight do not hold up a recursive delete (rollout simulator)', { timeout: 30_000 }, async () => {
    const sim = await simulator()
    const app = await simApp(sim, { operations: { concurrency: 1 } })
    sim.script('web', [{ deployments: inProgress(0) }])
    sim.script('api', [{ deployments: inProgress(0) }])
    const web = (await create(app)).headers['x-deployment-id'] as string
    await create(app, createBody('api'))
    await waitFor('both trackers to look', () => sim.describeCalls('web') > 2 && sim.describeCalls('api') > 2)

    const res = await app.inject({ method: 'DELETE', url: `${servicesUrl()}/api?recursive=true`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    const opId = res.headers['x-flywheel-task'] as string
    const op = await waitFor('the delete operation to finish', async () => {
      const view = (await app.inject({ method: 'GET', url: `/v1/ecs/main/operations/${opId}`, headers: authHeaders })).json<{ status: string }>()
      return view.status === 'succeeded' || view.status === 'failed' ? view : undefined
    })
    expect(op.status).toBe('succeeded')
    expect((await getDeployment(app, web)).Outcome).toBe('IN_PROGRESS')
  })
})

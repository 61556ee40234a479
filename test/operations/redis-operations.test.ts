/**
 * Operations with `redis` configured: records and queue on a real redis-server shared by several
 * app instances, as replicas share them.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import type { OperationView } from '../../src/operations/index.js'
import { newRecord } from '../../src/operations/record.js'
import { RedisOperationStore } from '../../src/operations/redis-store.js'
import { authHeaders, buildTestApp, testConfig, TEST_ORG } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { startRedis, type RedisServer } from '../harness/redis.js'
import { flakyKind, slowKind } from './fixtures/test-kinds.js'
import { runsOf, stopBegins, tempDir, waitFor } from './helpers.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

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
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function scratch(): string {
  const dir = tempDir()
  dirs.push(dir)
  return dir
}

/** A replica on the shared Redis; `concurrency: 0` makes one that only starts and reads operations. */
async function replica(operations: Record<string, unknown> = {}, url = redis.url): Promise<FastifyInstance> {
  const app = await buildTestApp({ redis: url, operations: { lockDurationMs: 2000, stalledIntervalMs: 1000, ...operations } })
  app.operations.register(slowKind)
  app.operations.register(flakyKind)
  return app
}

async function settled(app: FastifyInstance, id: string): Promise<OperationView> {
  return await waitFor(`operation ${id} to finish`, async () => {
    const op = await app.operations.get('main', id)
    return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
  })
}

describe('operations on Redis', () => {
  it('are started on one replica, run by another, and readable from both', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'release'), '')
    const front = await replica({ concurrency: 0 })
    const worker = await replica()
    await Promise.all([front.ready(), worker.ready()])
    expect(front.operations.backend).toBe('redis')

    const op = await front.operations.start({ kind: 'test.slow', account: 'main', target: { cluster: 'web' }, input: { dir } })
    const done = await settled(front, op.id)
    expect(done.status).toBe('succeeded')
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(await worker.operations.get('main', op.id)).toEqual(done)

    const listed = await front.inject({ method: 'GET', url: '/v1/ecs/main/operations?target=clusters/web', headers: authHeaders })
    expect(listed.json<{ operations: OperationView[] }>().operations.map((o) => o.id)).toEqual([op.id])
    const flywheel = await worker.inject({ method: 'GET', url: `/v1/ecs/flywheel?task=${op.id}`, headers: authHeaders })
    expect(flywheel.json()).toMatchObject({ [op.id]: { status: 'completed' } })
    // Only the replica that ran it counts it.
    expect((await worker.inject({ method: 'GET', url: '/v1/ecs/metrics' })).body).toContain(
      'ecs_api_operations_total{kind="test.slow",outcome="succeeded"} 1',
    )
  })

  it('a replica shutting down finishes the step in flight and hands the rest to another replica', async () => {
    const dir = scratch()
    const front = await replica({ concurrency: 0 })
    const config = await testConfig({ redis: redis.url, operations: { lockDurationMs: 2000, stalledIntervalMs: 1000 } })
    const leaving = await buildApp({ config, logger: false })
    leaving.operations.register(slowKind)
    await Promise.all([front.ready(), leaving.ready()])

    const op = await front.operations.start({ kind: 'test.slow', account: 'main', target: {}, input: { dir } })
    await waitFor('the slow step', () => runsOf(dir, 'wait-for-release').length === 1)
    const stopping = stopBegins(leaving)
    const closing = leaving.close()
    // Released only once no further step may start, so the step in flight finishes during the shutdown.
    await stopping
    writeFileSync(join(dir, 'release'), '')
    await closing
    const paused = await front.operations.get('main', op.id)
    expect(paused.status).toBe('queued')
    expect(paused.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'pending'])

    const taking = await replica()
    await taking.ready()
    const done = await settled(front, op.id)
    expect(done.status).toBe('succeeded')
    expect(done.runs).toBe(2)
    expect(done.steps.map((s) => s.attempts)).toEqual([1, 1, 1])
    expect(runsOf(dir, 'prepare')).toHaveLength(1)
  })

  it('retries a failed operation on any replica; a replica of another org sees no such operation', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'broken'), '')
    const front = await replica({ concurrency: 0 })
    const worker = await replica()
    const foreign = await buildTestApp({ org: 'otherorg', redis: redis.url })
    await Promise.all([front.ready(), worker.ready(), foreign.ready()])
    const op = await front.operations.start({ kind: 'test.flaky', account: 'main', target: {}, input: { dir } })
    expect((await settled(front, op.id)).status).toBe('failed')

    for (const request of [
      { method: 'GET' as const, url: `/v1/ecs/main/operations/${op.id}` },
      { method: 'POST' as const, url: `/v1/ecs/main/operations/${op.id}/retry` },
    ]) {
      const res = await foreign.inject({ ...request, headers: authHeaders })
      expect(res.statusCode, request.method).toBe(404)
    }

    rmSync(join(dir, 'broken'))
    const res = await front.inject({ method: 'POST', url: `/v1/ecs/main/operations/${op.id}/retry`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    const done = await settled(front, op.id)
    expect(done.status).toBe('succeeded')
    expect(done.steps.map((s) => s.attempts)).toEqual([1, 2, 1])
    expect(runsOf(dir, 'first')).toHaveLength(1)
  })

  it('queues again an unfinished operation that has no job (an enqueue lost in a crash)', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'release'), '')
    const store = new RedisOperationStore({ url: redis.url, org: TEST_ORG, log: pino({ level: 'silent' }), finishedTtlMs: 3_600_000 })
    await store.connected(5_000)
    const orphan = newRecord({ kind: 'test.slow', account: 'main', target: {}, input: { dir }, stepIds: ['prepare', 'wait-for-release', 'finish'] })
    await store.insert(orphan)
    await store.close()

    const app = await replica()
    await app.ready()
    expect((await settled(app, orphan.id)).status).toBe('succeeded')
  })

  it('starts without a reachable Redis, says so, answers 503 meanwhile, and recovers when Redis comes up', async () => {
    // A port redis-server bound itself (the harness starts it again on another one when it was
    // taken), free again once that server stops: nothing listens there until Redis starts again on it.
    const earlier = await startRedis()
    const port = earlier.port
    await earlier.stop()
    const url = `redis://127.0.0.1:${port}`
    const lines: string[] = []
    const config = await testConfig({ redis: url, logLevel: 'info' })
    const app = await buildApp({ config, logStream: { write: (line: string) => void lines.push(line) } })
    app.operations.register(slowKind)
    let late: RedisServer | undefined
    try {
      await app.ready()
      const report = lines.find((l) => l.includes('cannot reach Redis'))
      expect(report).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`)
      expect(report).toContain('ECONNREFUSED')

      const ready = await app.inject({ method: 'GET', url: '/v1/ecs/readyz' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { operations: expect.stringContaining('operation store unavailable') } })
      for (const url of ['/v1/ecs/main/operations', '/v1/ecs/main/operations/01900000-0000-7000-8000-000000000000', '/v1/ecs/flywheel?task=x']) {
        const res = await app.inject({ method: 'GET', url, headers: authHeaders })
        expect(res.statusCode, url).toBe(503)
        expect(res.json(), url).toMatchObject({ code: 'ServiceUnavailable' })
      }
      const dir = scratch()
      writeFileSync(join(dir, 'release'), '')
      await expect(app.operations.start({ kind: 'test.slow', account: 'main', target: {}, input: { dir } })).rejects.toMatchObject({ status: 503 })

      // Started again on the same port, retried there while another process holds it for a moment.
      late = await startRedis(port)
      await waitFor('readiness', async () => (await app.inject({ method: 'GET', url: '/v1/ecs/readyz' })).statusCode === 200, 20_000)
      const op = await app.operations.start({ kind: 'test.slow', account: 'main', target: {}, input: { dir } })
      expect((await waitFor('the operation', async () => {
        const now = await app.operations.get('main', op.id)
        return now.status === 'succeeded' ? now : undefined
      }, 30_000)).status).toBe('succeeded')
      expect(lines.some((l) => l.includes('is reachable again'))).toBe(true)
    } finally {
      await app.close()
      await late?.stop()
    }
  })
})

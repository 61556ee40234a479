import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { ConflictError, NotFoundError } from '../../src/core/errors.js'
import { defineOperationKind, type OperationView } from '../../src/operations/index.js'
import { UnknownOperationKindError } from '../../src/operations/operations.js'
import { newRecord } from '../../src/operations/record.js'
import { SqliteOperationStore } from '../../src/operations/sqlite-store.js'
import { WorkflowDefinitionError } from '../../src/workflows/engine.js'
import { buildTestApp, testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { deferred, within } from '../harness/events.js'
import { slowKind } from './fixtures/test-kinds.js'
import { runsOf, stopBegins, tempDir, waitFor } from './helpers.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function scratch(): string {
  const dir = tempDir()
  dirs.push(dir)
  return dir
}

/** An app on a given store file, closed by the test itself (to restart on the same file). */
async function appOn(sqlitePath: string, overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const { operations, ...rest } = overrides
  const config = await testConfig({ ...rest, operations: { sqlitePath, ...(operations as object | undefined) } })
  const app = await buildApp({ config, logger: false })
  app.operations.register(slowKind)
  return app
}

async function settled(app: FastifyInstance, id: string): Promise<OperationView> {
  return await waitFor(`operation ${id} to finish`, async () => {
    const op = await app.operations.get('main', id)
    return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
  })
}

const startSlow = (app: FastifyInstance, dir: string) =>
  app.operations.start({ kind: 'test.slow', account: 'main', target: { cluster: 'web' }, input: { dir }, requestId: 'req-1' })

describe('operations on the embedded store', () => {
  it('runs the steps in order, records each one, and counts the outcome in the metrics', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'release'), '')
    const app = await buildTestApp()
    app.operations.register(slowKind)

    const queued = await startSlow(app, dir)
    expect(queued).toMatchObject({ kind: 'test.slow', account: 'main', target: { cluster: 'web' }, status: 'queued', requestId: 'req-1', runs: 0 })
    expect(queued.steps.map((s) => [s.id, s.status])).toEqual([
      ['prepare', 'pending'],
      ['wait-for-release', 'pending'],
      ['finish', 'pending'],
    ])

    await app.ready()
    const done = await settled(app, queued.id)
    expect(done.status).toBe('succeeded')
    expect(done.runs).toBe(1)
    expect(done.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['prepare', 'succeeded', 1],
      ['wait-for-release', 'succeeded', 1],
      ['finish', 'succeeded', 1],
    ])
    for (const step of done.steps) expect(Date.parse(step.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(step.startedAt!))
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!))
    expect(done.events!.map((e) => e.message)).toEqual([
      'queued',
      'started',
      'step prepare started',
      'step prepare succeeded',
      'step wait-for-release started',
      `waiting in process ${process.pid}`,
      'step wait-for-release succeeded',
      'step finish started',
      'step finish succeeded',
      'succeeded',
    ])
    expect(runsOf(dir, 'prepare')).toEqual([process.pid])
    expect(runsOf(dir, 'finish')).toEqual([process.pid])

    const metrics = (await app.inject({ method: 'GET', url: '/v1/ecs/metrics' })).body
    expect(metrics).toContain('ecs_api_operations_total{kind="test.slow",outcome="succeeded"} 1')
    expect(metrics).toContain('ecs_api_operation_duration_seconds_count{kind="test.slow"} 1')
    expect(metrics).toContain('ecs_api_operations_in_flight 0')
  })

  it('hands a step the persisted outputs of the steps it depends on, and runs independent steps concurrently', async () => {
    const app = await buildTestApp()
    const started = { left: deferred(), right: deferred() }
    // Each side ends only once the other has started: run one after the other, the first one fails.
    const side = (me: 'left' | 'right', other: 'left' | 'right') => async () => {
      started[me].resolve()
      await within(started[other].promise, `step ${other} to start while ${me} runs`)
      return { side: me }
    }
    app.operations.register(
      defineOperationKind({
        name: 'test.fan-out',
        steps: () => [
          { id: 'left', dependsOn: [], run: side('left', 'right') },
          { id: 'right', dependsOn: [], run: side('right', 'left') },
          {
            id: 'join',
            dependsOn: ['left', 'right'],
            run: async (ctx) => {
              await ctx.event(`joined ${ctx.outputOf<{ side: string }>('left').side}+${ctx.outputOf<{ side: string }>('right').side}`)
            },
          },
        ],
      }),
    )
    await app.ready()
    const op = await app.operations.start({ kind: 'test.fan-out', account: 'main', target: {}, input: {} })
    const done = await settled(app, op.id)
    expect(done.error).toBeUndefined()
    expect(done.status).toBe('succeeded')
    expect(done.events!.map((e) => e.message)).toContain('joined left+right')
    const [left, right, join] = done.steps
    // The records agree: both started before either finished (to the millisecond), and join after both.
    expect(Date.parse(right!.startedAt!)).toBeLessThanOrEqual(Date.parse(left!.finishedAt!))
    expect(Date.parse(left!.startedAt!)).toBeLessThanOrEqual(Date.parse(right!.finishedAt!))
    expect(Date.parse(join!.startedAt!)).toBeGreaterThanOrEqual(Math.max(Date.parse(left!.finishedAt!), Date.parse(right!.finishedAt!)))
  })

  it('fails with the failing step, its code and message, and starts nothing after it', async () => {
    const app = await buildTestApp()
    app.operations.register(
      defineOperationKind<{ bug: boolean }>({
        name: 'test.failing',
        steps: () => [
          { id: 'ok', run: async () => 'fine' },
          {
            id: 'refuse',
            run: async (ctx) => {
              if (ctx.input.bug) throw new TypeError('cannot read properties of undefined')
              throw new ConflictError('service web still has 2 running tasks')
            },
          },
          { id: 'never', run: async () => 'not reached' },
        ],
      }),
    )
    await app.ready()

    const conflict = await settled(app, (await app.operations.start({ kind: 'test.failing', account: 'main', target: {}, input: { bug: false } })).id)
    expect(conflict.status).toBe('failed')
    expect(conflict.error).toEqual({ step: 'refuse', code: 'Conflict', message: 'service web still has 2 running tasks' })
    expect(conflict.steps.map((s) => [s.id, s.status])).toEqual([
      ['ok', 'succeeded'],
      ['refuse', 'failed'],
      ['never', 'pending'],
    ])
    expect(conflict.steps[1]!.error).toBe('service web still has 2 running tasks')

    // Our own bug: the message says only where to look, never the internals.
    const bug = await settled(app, (await app.operations.start({ kind: 'test.failing', account: 'main', target: {}, input: { bug: true } })).id)
    expect(bug.error).toEqual({ step: 'refuse', code: 'InternalError', message: `internal error; logId=${bug.id}` })

    const metrics = (await app.inject({ method: 'GET', url: '/v1/ecs/metrics' })).body
    expect(metrics).toContain('ecs_api_operations_total{kind="test.failing",outcome="failed"} 2')
  })

  it('refuses to start an operation of an unknown account, an unknown kind or a wrong step graph, and stores nothing', async () => {
    const app = await buildTestApp()
    app.operations.register(
      defineOperationKind({ name: 'test.bad-graph', steps: () => [{ id: 'a', dependsOn: ['missing'], run: async () => undefined }] }),
    )
    app.operations.register(slowKind)
    await expect(startSlowIn(app, 'nope')).rejects.toMatchObject({ code: 'NotFound', status: 404 })
    await expect(app.operations.start({ kind: 'test.unknown', account: 'main', target: {}, input: {} })).rejects.toBeInstanceOf(
      UnknownOperationKindError,
    )
    await expect(app.operations.start({ kind: 'test.bad-graph', account: 'main', target: {}, input: {} })).rejects.toBeInstanceOf(
      WorkflowDefinitionError,
    )
    expect((await app.operations.list('main', { limit: 10 })).operations).toEqual([])
    expect(() => app.operations.register(slowKind)).toThrow('operation kind "test.slow" is already registered')
  })

  it('on shutdown lets the step in flight finish, starts no other, and a restarted process finishes the operation', async () => {
    const dir = scratch()
    const sqlitePath = join(dir, 'operations.sqlite')
    const first = await appOn(sqlitePath)
    await first.ready()
    const op = await startSlow(first, dir)
    await waitFor('the slow step to start', () => runsOf(dir, 'wait-for-release').length === 1)

    const stopping = stopBegins(first)
    const closing = first.close()
    // Released only once no further step may start, so the step in flight finishes during the shutdown.
    await stopping
    writeFileSync(join(dir, 'release'), '')
    await closing
    expect(runsOf(dir, 'finish')).toEqual([])

    const second = await appOn(sqlitePath)
    try {
      const paused = await second.operations.get('main', op.id)
      expect(paused.status).toBe('queued')
      expect(paused.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'pending'])
      await second.ready()
      const done = await settled(second, op.id)
      expect(done.status).toBe('succeeded')
      expect(done.runs).toBe(2)
      expect(done.steps.map((s) => s.attempts)).toEqual([1, 1, 1])
      expect(done.events!.map((e) => e.message)).toEqual(
        expect.arrayContaining(['paused by shutdown; it resumes when a process picks it up again', 'resumed (run 2)']),
      )
      expect(runsOf(dir, 'prepare')).toHaveLength(1)
      expect(runsOf(dir, 'finish')).toHaveLength(1)
    } finally {
      await second.close()
    }
  })

  it('at the shutdown deadline cuts the step in flight off, and the next process runs that step again', async () => {
    const dir = scratch()
    const sqlitePath = join(dir, 'operations.sqlite')
    // A 2 s shutdown deadline leaves steps 0.8 s to finish.
    const first = await appOn(sqlitePath, { shutdownTimeoutMs: 2000 })
    await first.ready()
    const op = await startSlow(first, dir)
    await waitFor('the slow step to start', () => runsOf(dir, 'wait-for-release').length === 1)
    await first.close()

    const second = await appOn(sqlitePath)
    try {
      const cut = await second.operations.get('main', op.id)
      expect(cut.status).toBe('queued')
      expect(cut.steps.map((s) => s.status)).toEqual(['succeeded', 'pending', 'pending'])
      expect(cut.events!.map((e) => e.message)).toContain('step wait-for-release cut off by shutdown')
      writeFileSync(join(dir, 'release'), '')
      await second.ready()
      const done = await settled(second, op.id)
      expect(done.status).toBe('succeeded')
      expect(done.steps.map((s) => s.attempts)).toEqual([1, 2, 1])
      expect(runsOf(dir, 'prepare')).toHaveLength(1)
    } finally {
      await second.close()
    }
  })

  it('gives up an operation abandoned by dying processes too often, and one of a kind this service lacks', async () => {
    const dir = scratch()
    const sqlitePath = join(dir, 'operations.sqlite')
    const store = SqliteOperationStore.open(sqlitePath)
    const crashy = newRecord({ kind: 'test.slow', account: 'main', target: {}, input: { dir }, stepIds: ['prepare'] })
    Object.assign(crashy, { status: 'running', runs: 4, recoveries: 3 })
    const gone = newRecord({ kind: 'test.removed-kind', account: 'main', target: {}, input: {}, stepIds: ['x'] })
    await store.insert(crashy)
    await store.insert(gone)
    await store.close()

    const app = await appOn(sqlitePath)
    try {
      await app.ready()
      const a = await settled(app, crashy.id)
      expect(a.error).toEqual({ code: 'InternalError', message: expect.stringContaining('abandoned 4 times') })
      const b = await settled(app, gone.id)
      expect(b.error).toEqual({ code: 'InternalError', message: 'this service has no operation kind "test.removed-kind"' })
      expect(runsOf(dir, 'prepare')).toEqual([])
    } finally {
      await app.close()
    }
  })

  it('prunes finished operations older than the retention at start, and keeps the rest', async () => {
    const dir = scratch()
    const sqlitePath = join(dir, 'operations.sqlite')
    const store = SqliteOperationStore.open(sqlitePath)
    const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString()
    const old = Object.assign(newRecord({ kind: 'k', account: 'main', target: {}, input: {}, stepIds: [] }), {
      status: 'succeeded',
      finishedAt: hoursAgo(25),
    })
    const recent = Object.assign(newRecord({ kind: 'k', account: 'main', target: {}, input: {}, stepIds: [] }), {
      status: 'failed',
      finishedAt: hoursAgo(23),
    })
    await store.insert(old)
    await store.insert(recent)
    await store.close()

    const app = await appOn(sqlitePath, { operations: { sqlitePath, retentionHours: 24 } })
    try {
      await app.ready()
      // Only a 404 means pruned: any other error fails the test.
      await waitFor('the old operation to be pruned', async () =>
        app.operations.get('main', old.id).then(
          () => false,
          (err: unknown) => {
            if (err instanceof NotFoundError) return true
            throw err
          },
        ),
      )
      expect((await app.operations.get('main', recent.id)).status).toBe('failed')
    } finally {
      await app.close()
    }
  })
})

function startSlowIn(app: FastifyInstance, account: string) {
  return app.operations.start({ kind: 'test.slow', account, target: {}, input: { dir: '/nonexistent' } })
}

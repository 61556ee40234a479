import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { ConflictError } from '../../src/core/errors.js'
import { defineOperationKind, replyAccepted, type OperationTarget, type OperationView } from '../../src/operations/index.js'
import { acceptedResponse } from '../../src/schemas/operations.js'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

/** One step that succeeds, or fails with a conflict. */
const quickKind = defineOperationKind<{ fail: boolean }>({
  name: 'test.quick',
  steps: () => [
    {
      id: 'work',
      run: async (ctx) => {
        if (ctx.input.fail) throw new ConflictError('cluster web still has services')
        return { secret: 'step outputs are never shown' }
      },
    },
  ],
})

async function quickApp(overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const app = await buildTestApp(overrides)
  app.operations.register(quickKind)
  return app
}

async function run(app: FastifyInstance, target: OperationTarget, fail = false, account = 'main'): Promise<OperationView> {
  const op = await app.operations.start({ kind: 'test.quick', account, target, input: { fail } })
  return await waitFor(`operation ${op.id}`, async () => {
    const now = await app.operations.get(account, op.id)
    return now.status === 'succeeded' || now.status === 'failed' ? now : undefined
  })
}

const get = (app: FastifyInstance, url: string, headers: Record<string, string> = authHeaders) =>
  app.inject({ method: 'GET', url, headers })

describe('GET /v1/ecs/{account}/operations/{id}', () => {
  it("answers the account's operation with its steps and events, never its input or step outputs", async () => {
    const app = await quickApp()
    await app.ready()
    const op = await run(app, { cluster: 'web', service: 'api' })
    const res = await get(app, `/v1/ecs/main/operations/${op.id}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<OperationView & Record<string, unknown>>()
    expect(body).toMatchObject({ id: op.id, kind: 'test.quick', account: 'main', target: { cluster: 'web', service: 'api' }, status: 'succeeded' })
    expect(body.steps).toEqual([{ id: 'work', status: 'succeeded', attempts: 1, startedAt: expect.any(String), finishedAt: expect.any(String) }])
    expect(body.events?.at(-1)).toEqual({ at: body.finishedAt, message: 'succeeded' })
    expect(body).not.toHaveProperty('input')
    expect(res.body).not.toContain('never shown')
  })

  it("is a 404 for another account's operation, an unknown id and a malformed one; a 401 without credentials", async () => {
    const app = await quickApp()
    await app.ready()
    const op = await run(app, { cluster: 'web' })
    for (const url of [
      `/v1/ecs/other/operations/${op.id}`,
      '/v1/ecs/main/operations/01900000-0000-7000-8000-000000000000',
      '/v1/ecs/main/operations/not-an-id',
      `/v1/ecs/main/operations/${'x'.repeat(90)}`,
      `/v1/ecs/nosuchaccount/operations/${op.id}`,
    ]) {
      const res = await get(app, url)
      expect(res.statusCode, url).toBe(404)
      expect(res.json(), url).toMatchObject({ code: 'NotFound' })
    }
    expect((await get(app, `/v1/ecs/main/operations/${op.id}`, {})).statusCode).toBe(401)
  })
})

describe('GET /v1/ecs/{account}/operations', () => {
  async function seeded() {
    const app = await quickApp()
    await app.ready()
    const a = await run(app, { cluster: 'web' })
    const b = await run(app, { cluster: 'web', service: 'api' }, true)
    const c = await run(app, { cluster: 'db', taskDefinition: 'migrate' })
    const d = await run(app, { cluster: 'webapp' })
    const elsewhere = await run(app, { cluster: 'web' }, false, 'other')
    return { app, a, b, c, d, elsewhere }
  }
  const ids = (res: { json(): unknown }) => (res.json() as { operations: OperationView[] }).operations.map((o) => o.id)

  it("lists the account's operations newest first, in pages joined by nextCursor", async () => {
    const { app, a, b, c, d } = await seeded()
    const all = await get(app, '/v1/ecs/main/operations')
    expect(all.statusCode).toBe(200)
    expect(ids(all)).toEqual([d.id, c.id, b.id, a.id])
    expect(all.json()).not.toHaveProperty('nextCursor')
    // The list view leaves the events out.
    expect(all.json<{ operations: OperationView[] }>().operations[0]).not.toHaveProperty('events')

    const first = await get(app, '/v1/ecs/main/operations?limit=3')
    expect(ids(first)).toEqual([d.id, c.id, b.id])
    const cursor = first.json<{ nextCursor: string }>().nextCursor
    expect(cursor).toEqual(expect.any(String))
    const second = await get(app, `/v1/ecs/main/operations?limit=3&cursor=${cursor}`)
    expect(ids(second)).toEqual([a.id])
    expect(second.json()).not.toHaveProperty('nextCursor')
  })

  it('filters by status (repeated or comma-separated) and by target and what is below it', async () => {
    const { app, a, b, c, d, elsewhere } = await seeded()
    expect(ids(await get(app, '/v1/ecs/main/operations?status=failed'))).toEqual([b.id])
    expect(ids(await get(app, '/v1/ecs/main/operations?status=failed,succeeded'))).toEqual([d.id, c.id, b.id, a.id])
    expect(ids(await get(app, '/v1/ecs/main/operations?status=queued&status=running'))).toEqual([])
    // clusters/web is web and its services, not webapp.
    expect(ids(await get(app, '/v1/ecs/main/operations?target=clusters/web'))).toEqual([b.id, a.id])
    expect(ids(await get(app, '/v1/ecs/main/operations?target=cluster/web/service/api'))).toEqual([b.id])
    expect(ids(await get(app, '/v1/ecs/main/operations?target=clusters/db/taskdefs/migrate&status=succeeded'))).toEqual([c.id])
    expect(ids(await get(app, '/v1/ecs/other/operations'))).toEqual([elsewhere.id])
  })

  it('answers 400 naming the allowed values for a malformed status, target, cursor or limit', async () => {
    const app = await quickApp()
    const cases: [string, string][] = [
      ['status=done', 'status "done" is not one of: queued, running, succeeded, failed'],
      ['status=running,Failed', 'status "Failed" is not one of: queued, running, succeeded, failed'],
      ['target=web', 'target must look like clusters/{cluster}'],
      ['target=clusters/web/tasks/1', '"tasks" is not a target segment'],
      ['cursor=abc', 'cursor is not one this API returned'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
    ]
    for (const [query, detail] of cases) {
      const res = await get(app, `/v1/ecs/main/operations?${query}`)
      expect(res.statusCode, query).toBe(400)
      expect(res.json<{ code: string; detail: string }>(), query).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(detail) })
    }
  })
})

describe('GET /v1/ecs/flywheel', () => {
  it('answers the known tasks by id in the flywheel format and leaves unknown ids out', async () => {
    const app = await quickApp()
    await app.ready()
    const ok = await run(app, { cluster: 'web' })
    const bad = await run(app, { cluster: 'web' }, true)
    const res = await get(app, `/v1/ecs/flywheel?task=${ok.id}&task=${bad.id}&task=01900000-0000-7000-8000-000000000000`)
    expect(res.statusCode).toBe(200)
    const tasks = res.json<Record<string, Record<string, unknown>>>()
    expect(Object.keys(tasks).sort()).toEqual([ok.id, bad.id].sort())
    expect(tasks[ok.id]).toEqual({
      id: ok.id,
      status: 'completed',
      created_at: ok.createdAt,
      checkin_at: ok.updatedAt,
      completed_at: ok.finishedAt,
      failed_at: '',
      failure: '',
      events: ok.events!.map((e) => `${e.at} ${e.message}`),
    })
    expect(tasks[bad.id]).toMatchObject({ status: 'failed', completed_at: '', failed_at: bad.finishedAt, failure: 'cluster web still has services' })
  })

  it('says created for a queued task, 404 when no task is known, 400 without a task, 401 without credentials', async () => {
    // A process that runs no operations: they stay queued.
    const app = await quickApp({ operations: { concurrency: 0 } })
    await app.ready()
    const op = await app.operations.start({ kind: 'test.quick', account: 'main', target: {}, input: { fail: false } })
    const res = await get(app, `/v1/ecs/flywheel?task=${op.id}`)
    expect(res.json()).toMatchObject({ [op.id]: { status: 'created', completed_at: '', failed_at: '' } })
    expect((await get(app, '/v1/ecs/flywheel?task=01900000-0000-7000-8000-000000000000')).statusCode).toBe(404)
    expect((await get(app, '/v1/ecs/flywheel')).statusCode).toBe(400)
    expect((await get(app, `/v1/ecs/flywheel?task=${op.id}`, {})).statusCode).toBe(401)
  })
})

describe('replyAccepted', () => {
  it('answers 202 with Location and X-Flywheel-Task, and the Location answers the operation', async () => {
    const app = await quickApp()
    app.delete('/v1/ecs/:account/test-things/:name', { schema: { tags: ['test'], response: { 202: acceptedResponse() } } }, async (request, reply) => {
      const { account, name } = request.params as { account: string; name: string }
      const op = await app.operations.start({ kind: 'test.quick', account, target: { cluster: name }, input: { fail: false }, requestId: request.id })
      return replyAccepted(reply, op)
    })
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/test-things/web', headers: { ...authHeaders, 'x-request-id': 'req-42' } })
    expect(res.statusCode).toBe(202)
    const op = res.json<OperationView>()
    expect(res.headers.location).toBe(`/v1/ecs/main/operations/${op.id}`)
    expect(res.headers['x-flywheel-task']).toBe(op.id)
    expect(op).toMatchObject({ kind: 'test.quick', target: { cluster: 'web' }, requestId: 'req-42' })
    const followed = await get(app, res.headers.location as string)
    expect(followed.statusCode).toBe(200)
    expect(followed.json()).toMatchObject({ id: op.id, requestId: 'req-42' })

    // acceptedResponse() documents the two headers in the OpenAPI document.
    const spec = (await get(app, '/v1/ecs/openapi.json')).json<{ paths: Record<string, Record<string, { responses: Record<string, { headers: object }> }>> }>()
    expect(Object.keys(spec.paths['/v1/ecs/{account}/test-things/{name}']!.delete!.responses['202']!.headers)).toEqual(['Location', 'X-Flywheel-Task'])
  })
})

describe('operations in the service documents', () => {
  it('are in the OpenAPI document, and their store in /readyz', async () => {
    const app = await quickApp()
    const spec = (await get(app, '/v1/ecs/openapi.json')).json<{ paths: Record<string, Record<string, { tags: string[] }>> }>()
    expect(spec.paths['/v1/ecs/{account}/operations/{id}']?.get?.tags).toEqual(['operations'])
    expect(spec.paths['/v1/ecs/{account}/operations']?.get?.tags).toEqual(['operations'])
    expect(spec.paths['/v1/ecs/flywheel']?.get?.tags).toEqual(['operations'])
    const ready = await get(app, '/v1/ecs/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({ checks: { operations: 'ok' } })
  })
})

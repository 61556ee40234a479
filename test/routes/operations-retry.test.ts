/**
 * POST /v1/ecs/{account}/operations/{id}/retry: a failed operation runs again from the step that
 * failed, in the same record. The failures come from a test kind whose middle step fails while its
 * trace directory holds a `broken` file.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import type { OperationView } from '../../src/operations/index.js'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { flakyKind } from '../operations/fixtures/test-kinds.js'
import { runsOf, tempDir, waitFor } from '../operations/helpers.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto.
useMotoReset()

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
/** A trace directory whose flaky step fails until `broken` is removed from it. */
function brokenDir(): string {
  const dir = tempDir()
  dirs.push(dir)
  writeFileSync(join(dir, 'broken'), '')
  return dir
}

async function flakyApp(overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const app = await buildTestApp(overrides)
  app.operations.register(flakyKind)
  await app.ready()
  return app
}

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: authHeaders })
const retry = (app: FastifyInstance, id: string, account = 'main', headers: Record<string, string> = authHeaders) =>
  app.inject({ method: 'POST', url: `/v1/ecs/${account}/operations/${id}/retry`, headers })

async function settled(app: FastifyInstance, id: string): Promise<OperationView> {
  return await waitFor(`operation ${id} to finish`, async () => {
    const op = (await get(app, `/v1/ecs/main/operations/${id}`)).json<OperationView>()
    return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
  })
}

async function failedOperation(app: FastifyInstance, dir = brokenDir()): Promise<OperationView> {
  const op = await app.operations.start({ kind: 'test.flaky', account: 'main', target: { cluster: 'web' }, input: { dir } })
  const done = await settled(app, op.id)
  expect(done.status).toBe('failed')
  return done
}

describe('POST /v1/ecs/{account}/operations/{id}/retry', () => {
  it('runs a failed operation again from its failed step, keeping what succeeded, and answers 202 with Location', async () => {
    const app = await flakyApp()
    const dir = brokenDir()
    const failed = await failedOperation(app, dir)
    expect(failed.error).toEqual({ step: 'flaky', code: 'BadGateway', message: 'the flaky step was refused' })
    expect(failed.steps.map((s) => [s.id, s.status])).toEqual([
      ['first', 'succeeded'],
      ['flaky', 'failed'],
      ['last', 'pending'],
    ])

    // Still failing: the retry ends failed again, with the step's attempts counted.
    const again = await retry(app, failed.id)
    expect(again.statusCode, again.body).toBe(202)
    expect((await settled(app, failed.id)).steps.find((s) => s.id === 'flaky')).toMatchObject({ status: 'failed', attempts: 2 })

    rmSync(join(dir, 'broken'))
    const res = await retry(app, failed.id)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.headers.location).toBe(`/v1/ecs/main/operations/${failed.id}`)
    expect(res.headers['x-flywheel-task']).toBe(failed.id)
    const queued = res.json<OperationView>()
    expect(queued).toMatchObject({ id: failed.id, status: 'queued' })
    expect(queued).not.toHaveProperty('error')
    expect(queued).not.toHaveProperty('finishedAt')

    const done = await settled(app, failed.id)
    expect(done.status).toBe('succeeded')
    expect(done.runs).toBe(3)
    expect(done.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['first', 'succeeded', 1],
      ['flaky', 'succeeded', 3],
      ['last', 'succeeded', 1],
    ])
    const events = done.events!.map((e) => e.message)
    expect(events.filter((m) => m.startsWith('retry requested'))).toHaveLength(2)
    expect(events.at(-1)).toBe('succeeded')
    expect(events).toEqual(expect.arrayContaining([expect.stringMatching(/^retry requested by request .+; resumes at step flaky$/), 'resumed (run 3)']))
    expect(events).toContain('the flaky step went through')
    // What succeeded ran once; the last step read the first one's kept output.
    expect([runsOf(dir, 'first').length, runsOf(dir, 'flaky').length, runsOf(dir, 'last').length]).toEqual([1, 3, 1])
  })

  it('is a 409 for an operation that did not fail, a 404 for another account or an unknown id, a 401 without credentials', async () => {
    const app = await flakyApp()
    const fine = tempDir()
    dirs.push(fine)
    const succeeded = await app.operations.start({ kind: 'test.flaky', account: 'main', target: {}, input: { dir: fine } })
    expect((await settled(app, succeeded.id)).status).toBe('succeeded')
    const conflict = await retry(app, succeeded.id)
    expect(conflict.statusCode).toBe(409)
    expect(conflict.json()).toMatchObject({ code: 'Conflict', detail: expect.stringContaining('is succeeded: only a failed operation can be retried') })

    const failed = await failedOperation(app)
    for (const [id, account] of [
      [failed.id, 'other'],
      [failed.id, 'nosuchaccount'],
      ['01900000-0000-7000-8000-000000000000', 'main'],
      ['not-an-id', 'main'],
    ] as const) {
      const res = await retry(app, id, account)
      expect(res.statusCode, `${account} ${id}`).toBe(404)
      expect(res.json()).toMatchObject({ code: 'NotFound' })
    }
    expect((await retry(app, failed.id, 'main', {})).statusCode).toBe(401)
    // None of them touched it.
    const still = (await get(app, `/v1/ecs/main/operations/${failed.id}`)).json<OperationView>()
    expect(still).toMatchObject({ status: 'failed', runs: 1 })
  })

  it('is a 409 for a queued operation', async () => {
    const app = await flakyApp({ operations: { concurrency: 0 } })
    const queued = await app.operations.start({ kind: 'test.flaky', account: 'main', target: {}, input: { dir: brokenDir() } })
    const res = await retry(app, queued.id)
    expect(res.statusCode).toBe(409)
    expect(res.json<{ detail: string }>().detail).toContain('is queued')
  })

  it('is documented in the OpenAPI document', async () => {
    const app = await flakyApp()
    const spec = (await get(app, '/v1/ecs/openapi.json')).json<{ paths: Record<string, Record<string, { tags: string[]; responses: Record<string, unknown> }>> }>()
    const route = spec.paths['/v1/ecs/{account}/operations/{id}/retry']?.post
    expect(route?.tags).toEqual(['operations'])
    expect(Object.keys(route?.responses ?? {})).toEqual(expect.arrayContaining(['202', '404', '409']))
  })
})

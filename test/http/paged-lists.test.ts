/**
 * Paging every list with `limit` and `next` against moto: limit=1 through the Link headers visits
 * each item exactly once, in the order of the whole list; without them the answer is the whole list
 * as before; bad limits and foreign tokens are 400s naming the parameter.
 */
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineOperationKind } from '../../src/operations/index.js'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { motoClients, seedService } from '../routes/services-fixtures.js'
import { createBody, createTaskDef } from '../routes/taskdefs-fixtures.js'
import { createSchedule, scheduleBody, schedulesUrl } from '../routes/schedules-fixtures.js'
import { completed, inProgress } from '../harness/rollout-simulator.js'
import { create, servicesUrl, settled, simApp, simulator, updateImage } from '../routes/deployments-fixtures.js'

useMotoReset()
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url, headers: authHeaders })

/** Follows `Link: rel="next"` from `url` with limit=1; answers the items of every page. */
async function pageThrough<T>(app: FastifyInstance, url: string, itemsOf: (body: unknown) => T[] = (b) => b as T[]): Promise<T[]> {
  const seen: T[] = []
  let next: string | undefined = `${url}${url.includes('?') ? '&' : '?'}limit=1`
  for (let i = 0; next !== undefined && i < 50; i++) {
    const res = await get(app, next)
    expect(res.statusCode, res.body).toBe(200)
    const items = itemsOf(res.json())
    expect(res.headers['x-items']).toBe(String(items.length))
    expect(res.headers['x-per-page']).toBe('1')
    seen.push(...items)
    const link = res.headers.link as string | undefined
    expect(link === undefined).toBe(res.headers['x-next-token'] === undefined)
    next = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1]
  }
  return seen
}

/** The whole list as before: no page headers. */
async function whole<T>(app: FastifyInstance, url: string): Promise<T[]> {
  const res = await get(app, url)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['x-items']).toBeUndefined()
  return res.json<T[]>()
}

describe('paged lists', () => {
  it('services, task definitions and tasks: limit=1 visits each exactly once', async () => {
    const app = await buildTestApp()
    const { ecs } = motoClients()
    for (const name of ['s1', 's2', 's3']) await seedService(ecs, 'space1', name)
    const services = await whole<string>(app, '/v1/ecs/main/clusters/space1/services')
    expect(services).toHaveLength(3)
    expect(await pageThrough(app, '/v1/ecs/main/clusters/space1/services')).toEqual(services)
    // The all=true form pages the same way.
    const full = await pageThrough<{ ServiceName: string }>(app, '/v1/ecs/main/clusters/space1/services?all=true')
    expect(full.map((s) => s.ServiceName).sort()).toEqual(['s1', 's2', 's3'])

    await createTaskDef(app)
    await createTaskDef(app, createBody({ taskdefinition: { ...(createBody().taskdefinition as object), family: 'job2' }, credentials: undefined }))
    const families = await whole<string>(app, '/v1/ecs/main/clusters/space1/taskdefs')
    expect(families.length).toBeGreaterThanOrEqual(2)
    expect(await pageThrough(app, '/v1/ecs/main/clusters/space1/taskdefs')).toEqual(families)

    const run = await app.inject({ method: 'POST', url: '/v1/ecs/main/clusters/space1/taskdefs/job/tasks', headers: authHeaders, payload: { Count: 3 } })
    expect(run.statusCode, run.body).toBe(200)
    const tasks = await whole<string>(app, '/v1/ecs/main/clusters/space1/taskdefs/job/tasks')
    expect(tasks).toHaveLength(3)
    expect(await pageThrough(app, '/v1/ecs/main/clusters/space1/taskdefs/job/tasks')).toEqual(tasks)
  })

  it('secrets, parameters, operations: limit=1 visits each exactly once; a tag filter still applies', async () => {
    const app = await buildTestApp()
    for (const name of ['x', 'y', 'z']) {
      const tags = [{ Key: 'team', Value: name === 'z' ? 'blue' : 'red' }]
      expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: authHeaders, payload: { Name: name, SecretString: 'v', Tags: tags } })).statusCode).toBe(200)
      expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: name, Value: 'v' } })).statusCode).toBe(200)
    }
    const secrets = await whole<string>(app, '/v1/ecs/main/secrets')
    expect(secrets).toHaveLength(3)
    expect(await pageThrough(app, '/v1/ecs/main/secrets')).toEqual(secrets)
    expect(await pageThrough(app, '/v1/ecs/main/secrets?team=red')).toHaveLength(2)
    const params = await whole<string>(app, '/v1/ecs/main/params/app')
    expect(params.sort()).toEqual(['x', 'y', 'z'])
    expect(await pageThrough(app, '/v1/ecs/main/params/app')).toEqual(params)

    app.operations.register(defineOperationKind({ name: 'test.noop', steps: () => [{ id: 'a', run: async () => undefined }] }))
    for (let i = 0; i < 3; i++) await app.operations.start({ kind: 'test.noop', account: 'main', target: {}, input: {} })
    const listed = await get(app, '/v1/ecs/main/operations')
    expect(listed.headers['x-items']).toBeUndefined()
    const ids = listed.json<{ operations: { id: string }[] }>().operations.map((o) => o.id)
    expect(ids).toHaveLength(3)
    const paged = await pageThrough(app, '/v1/ecs/main/operations', (b) => (b as { operations: { id: string }[] }).operations.map((o) => o.id))
    expect(paged).toEqual(ids)
  })

  it('refuses a limit outside 1..1000, a token that is not ours and a token of another query (400 naming the parameter)', async () => {
    const app = await buildTestApp()
    for (const name of ['x', 'y']) {
      expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: name, Value: 'v' } })).statusCode).toBe(200)
    }
    const first = await get(app, '/v1/ecs/main/params/app?limit=1')
    const token = first.headers['x-next-token'] as string
    expect(token).toMatch(/^[\w-]+$/)
    const cases: [string, string][] = [
      ['/v1/ecs/main/params/app?limit=0', 'limit'],
      ['/v1/ecs/main/params/app?limit=1001', 'limit'],
      ['/v1/ecs/main/params/app?limit=ten', 'limit'],
      ['/v1/ecs/main/params/app?next=bm90LW91cnM', 'next'],
      [`/v1/ecs/main/params/other?next=${token}`, 'next'],
      [`/v1/ecs/main/secrets?next=${token}`, 'next'],
      [`/v1/ecs/main/operations?next=${token}`, 'next'],
      ['/v1/ecs/main/operations?limit=0', 'limit'],
    ]
    for (const [url, field] of cases) {
      const res = await get(app, url)
      expect(res.statusCode, url).toBe(400)
      expect(res.json<{ code: string; detail: string }>(), url).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(field) })
    }
    // The same query goes on, with another page size if asked.
    const second = await get(app, `/v1/ecs/main/params/app?next=${token}&limit=5`)
    expect(second.statusCode).toBe(200)
    expect([...first.json<string[]>(), ...second.json<string[]>()].sort()).toEqual(['x', 'y'])
  })
})

describe('paged lists of the newer resources', () => {
  it('spaces: limit=1 visits each exactly once, in the order of the whole list', async () => {
    const app = await buildTestApp()
    const { ecs } = motoClients()
    for (const space of ['alpha', 'beta', 'gamma']) await seedService(ecs, space, 'web')
    const spaces = await whole<{ Space: string }>(app, '/v1/ecs/main/spaces')
    expect(spaces.map((s) => s.Space)).toEqual(['alpha', 'beta', 'gamma'])
    expect(await pageThrough(app, '/v1/ecs/main/spaces')).toEqual(spaces)
  })

  it('schedules of a family: limit=1 visits each exactly once', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    for (const name of ['a-report', 'b-report', 'c-report']) await createSchedule(app, scheduleBody({ name }))
    const whole = await get(app, schedulesUrl())
    expect(whole.statusCode, whole.body).toBe(200)
    const names = whole.json<{ Name: string }[]>().map((s) => s.Name)
    expect(names).toHaveLength(3)
    const paged = await pageThrough<{ Name: string }>(app, schedulesUrl())
    expect(paged.map((s) => s.Name)).toEqual(names)
  })

  it('deployments of a service: limit=1 visits each exactly once, newest first (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const ids = [(await create(app)).headers['x-deployment-id'] as string]
    await settled(app, ids[0]!)
    for (const image of ['nginx:1.27', 'nginx:1.28']) {
      sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
      const id = (await updateImage(app, image)).headers['x-deployment-id'] as string
      await settled(app, id)
      ids.push(id)
    }
    const url = `${servicesUrl()}/web/deployments`
    const paged = await pageThrough<{ Id: string }>(app, url)
    expect(paged.map((d) => d.Id)).toEqual([...ids].reverse())
  })
})

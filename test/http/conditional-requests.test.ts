/**
 * ETag, If-None-Match and If-Match on a service, a task definition, a secret and a parameter,
 * against moto: a fresh tag is a 304, a stale If-Match a 412 with the current tag and nothing
 * changed, a current one lets the change through, a malformed one is a 400.
 */
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { existsInAws, motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'
import { motoClients, seedService } from '../routes/services-fixtures.js'
import { createTaskDef } from '../routes/taskdefs-fixtures.js'

useMotoReset()

function call(app: FastifyInstance, method: 'GET' | 'PUT' | 'DELETE', url: string, headers: Record<string, string> = {}, body?: unknown) {
  return app.inject({ method, url, headers: { ...authHeaders, ...headers }, ...(body !== undefined ? { payload: body as object } : {}) })
}

const STALE = '"stale-tag-from-an-old-copy"'

async function desiredCount(): Promise<number | undefined> {
  const out = await motoClients().ecs.send(new DescribeServicesCommand({ cluster: 'space1', services: ['api'] }))
  return out.services?.[0]?.desiredCount
}

describe('conditional requests', () => {
  it('a service: ETag, 304 on a fresh If-None-Match, 412 on a stale If-Match with nothing changed, then the change with the current tag', async () => {
    const app = await buildTestApp()
    await seedService(motoClients().ecs, 'space1', 'api')
    const url = '/v1/ecs/main/clusters/space1/services/api'
    const shown = await call(app, 'GET', url)
    expect(shown.statusCode, shown.body).toBe(200)
    const tag = shown.headers.etag as string
    expect(tag).toMatch(/^"[\w-]+"$/)
    expect((await call(app, 'GET', url)).headers.etag).toBe(tag)

    const notModified = await call(app, 'GET', url, { 'if-none-match': `"other", ${tag}` })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.body).toBe('')
    expect((await call(app, 'GET', url, { 'if-none-match': STALE })).statusCode).toBe(200)

    const before = await desiredCount()
    const stale = await call(app, 'PUT', url, { 'if-match': STALE }, { Service: { DesiredCount: 3 } })
    expect(stale.statusCode).toBe(412)
    expect(stale.headers.etag).toBe(tag)
    expect(stale.json()).toMatchObject({ code: 'PreconditionFailed', field: 'If-Match', currentETag: tag })
    expect(await desiredCount()).toBe(before)

    const fresh = await call(app, 'PUT', url, { 'if-match': tag }, { Service: { DesiredCount: 3 } })
    expect(fresh.statusCode, fresh.body).toBe(200)
    expect(await desiredCount()).toBe(3)
    const changed = await call(app, 'GET', url)
    expect(changed.headers.etag).not.toBe(tag)
    // The old tag is stale now.
    expect((await call(app, 'PUT', url, { 'if-match': tag }, { Service: { DesiredCount: 1 } })).statusCode).toBe(412)
    expect(await desiredCount()).toBe(3)
  })

  it('a task definition: ETag and 304; a stale If-Match on PUT and DELETE is a 412 that registers and deletes nothing', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    const url = '/v1/ecs/main/clusters/space1/taskdefs/job'
    const shown = await call(app, 'GET', url)
    expect(shown.statusCode, shown.body).toBe(200)
    const tag = shown.headers.etag as string
    expect((await call(app, 'GET', url, { 'if-none-match': tag })).statusCode).toBe(304)

    const revisions = async () => (await motoClients().ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'job', status: 'ACTIVE' }))).taskDefinitionArns ?? []
    const before = await revisions()
    expect(before).toHaveLength(1)
    const newImage = { TaskDefinition: { family: 'job', cpu: '256', memory: '512', containerDefinitions: [{ name: 'main', image: 'busybox:2', memoryReservation: 128 }] } }
    for (const method of ['PUT', 'DELETE'] as const) {
      const stale = await call(app, method, url, { 'if-match': STALE }, method === 'PUT' ? newImage : undefined)
      expect(stale.statusCode, `${method}: ${stale.body}`).toBe(412)
      expect(stale.headers.etag).toBe(tag)
      expect(stale.json()).toMatchObject({ code: 'PreconditionFailed', field: 'If-Match', currentETag: tag })
      expect(stale.headers['x-flywheel-task']).toBeUndefined()
    }
    expect(await revisions()).toEqual(before)
    expect((await call(app, 'GET', url)).headers.etag).toBe(tag)
  })

  it('a secret and a parameter: ETag and 304 on a fresh If-None-Match, 200 with the body on a stale one', async () => {
    const app = await buildTestApp()
    expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: authHeaders, payload: { Name: 'cached', SecretString: 'v' } })).statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: 'cached', Value: 'v' } })).statusCode).toBe(200)
    for (const url of ['/v1/ecs/main/secrets/cached', '/v1/ecs/main/params/app/cached']) {
      const shown = await call(app, 'GET', url)
      expect(shown.statusCode, shown.body).toBe(200)
      const tag = shown.headers.etag as string
      expect(tag, url).toMatch(/^"[\w-]+"$/)
      const fresh = await call(app, 'GET', url, { 'if-none-match': tag })
      expect(fresh.statusCode, url).toBe(304)
      expect(fresh.body).toBe('')
      const stale = await call(app, 'GET', url, { 'if-none-match': STALE })
      expect(stale.statusCode, url).toBe(200)
      expect(stale.body).toBe(shown.body)
    }
  })

  it('a secret: a stale If-Match leaves the value alone; a malformed one is a 400 naming If-Match', async () => {
    const app = await buildTestApp()
    const created = await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: authHeaders, payload: { Name: 'cond', SecretString: 'first' } })
    expect(created.statusCode, created.body).toBe(200)
    const url = '/v1/ecs/main/secrets/cond'
    const tag = (await call(app, 'GET', url)).headers.etag as string
    expect(tag).toBeDefined()
    const value = async () => (await motoClients().secrets.send(new GetSecretValueCommand({ SecretId: 'cond' }))).SecretString

    const stale = await call(app, 'PUT', url, { 'if-match': STALE }, { Secret: 'second' })
    expect(stale.statusCode).toBe(412)
    expect(await value()).toBe('first')
    for (const malformed of ['no-quotes', '"a", b', 'W/']) {
      const res = await call(app, 'PUT', url, { 'if-match': malformed }, { Secret: 'second' })
      expect(res.statusCode, malformed).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', field: 'If-Match', detail: expect.stringContaining('If-Match') })
    }
    // A weak tag never matches If-Match (strong comparison).
    expect((await call(app, 'PUT', url, { 'if-match': `W/${tag}` }, { Secret: 'second' })).statusCode).toBe(412)
    expect(await value()).toBe('first')
    expect((await call(app, 'PUT', url, { 'if-match': tag }, { Secret: 'second' })).statusCode).toBe(200)
    expect(await value()).toBe('second')
  })

  it('a parameter: a stale If-Match on DELETE keeps it; the current tag deletes it; without If-Match nothing is checked', async () => {
    const app = await buildTestApp()
    for (const name of ['p1', 'p2']) {
      const res = await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: name, Value: 'v' } })
      expect(res.statusCode, res.body).toBe(200)
    }
    const ssm = new SSMClient(motoClientConfig(motoEndpoint()))
    onTestFinished(() => ssm.destroy())
    // Only ParameterNotFound reads as "deleted": any other error fails the test.
    const exists = async (name: string) => existsInAws(ssm.send(new GetParameterCommand({ Name: `/testorg/app/${name}` })))
    const url = '/v1/ecs/main/params/app/p1'
    const tag = (await call(app, 'GET', url)).headers.etag as string
    expect((await call(app, 'DELETE', url, { 'if-match': STALE })).statusCode).toBe(412)
    expect(await exists('p1')).toBe(true)
    expect((await call(app, 'DELETE', url, { 'if-match': tag })).statusCode).toBe(200)
    expect(await exists('p1')).toBe(false)
    expect((await call(app, 'DELETE', '/v1/ecs/main/params/app/p2')).statusCode).toBe(200)
    expect(await exists('p2')).toBe(false)
  })
})

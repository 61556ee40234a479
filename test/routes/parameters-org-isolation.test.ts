/**
 * Parameters of another org, under its own path or tagged for it under ours, exist in the account but
 * not for this API: every parameter route answers as if they were missing and changes nothing.
 */
import {
  DescribeParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

const OURS = { Key: 'spinup:org', Value: TEST_ORG }
const THEIRS = { Key: 'spinup:org', Value: 'otherorg' }
/** Another org's path, and one of our paths holding a parameter tagged for another org. */
const OTHER_PATH = '/otherorg/app/secret'
const CLAIMED = `/${TEST_ORG}/app/claimed`
const VALUE = 'foreign-value'

let ssm: SSMClient
let app: FastifyInstance

async function snapshot(name: string): Promise<unknown> {
  const value = (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value
  const meta = (await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }))).Parameters
  const tags = (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList
  return { value, meta, tags }
}

beforeEach(async () => {
  ssm = new SSMClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => ssm.destroy())
  await ssm.send(new PutParameterCommand({ Name: OTHER_PATH, Value: VALUE, Type: 'SecureString', Tags: [THEIRS] }))
  await ssm.send(new PutParameterCommand({ Name: CLAIMED, Value: VALUE, Type: 'String', Tags: [THEIRS, { Key: 'k', Value: 'v' }] }))
  await ssm.send(new PutParameterCommand({ Name: `/${TEST_ORG}/app/mine`, Value: 'v', Type: 'String', Tags: [OURS] }))
  app = await buildTestApp()
})

const get = (url: string) => app.inject({ method: 'GET', url, headers: authHeaders })

describe('parameters of another org', () => {
  it('are not listed', async () => {
    expect((await get('/v1/ecs/main/params/app')).json()).toEqual(['mine'])
  })

  it('are a 404 on show, also through path tricks, and never leak a value', async () => {
    const urls = [
      '/v1/ecs/main/params/app/claimed',
      `/v1/ecs/main/params/app/${encodeURIComponent('../../otherorg/app/secret')}`,
    ]
    for (const url of urls) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.body).not.toContain(VALUE)
    }
    // A prefix is one level: it cannot climb out of the org's path.
    const climb = await get(`/v1/ecs/main/params/${encodeURIComponent('../otherorg/app')}/secret`)
    expect(climb.statusCode).toBe(400)
  })

  it('are a 404 on update (value, tags) and stay unchanged', async () => {
    const before = await snapshot(CLAIMED)
    for (const payload of [{ Value: 'hijacked' }, { Tags: [{ Key: 'k', Value: 'hijacked' }] }, { Value: 'x', Tags: [OURS] }]) {
      const res = await app.inject({ method: 'PUT', url: '/v1/ecs/main/params/app/claimed', headers: authHeaders, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(404)
    }
    expect(await snapshot(CLAIMED)).toEqual(before)
  })

  it('are a 404 on delete and are not deleted', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/params/app/claimed', headers: authHeaders })
    expect(res.statusCode).toBe(404)
    expect(await snapshot(CLAIMED)).toBeDefined()
  })

  it('survive a delete of the whole prefix, which deletes only ours', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/params/app', headers: authHeaders })
    expect(res.json()).toEqual({ Message: 'OK', Deleted: 1 })
    const left = (await ssm.send(new DescribeParametersCommand({}))).Parameters?.map((p) => p.Name).sort()
    expect(left).toEqual([OTHER_PATH, CLAIMED].sort())
  })

  it('cannot be replaced by a create of the same name (409), and stay unchanged', async () => {
    const before = await snapshot(CLAIMED)
    const res = await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: 'claimed', Value: 'mine-now' } })
    expect(res.statusCode).toBe(409)
    expect(await snapshot(CLAIMED)).toEqual(before)
  })

  it("are invisible through a create's org: a parameter created through the API lands under our path", async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: 'secret', Value: 'v' } })
    expect(res.statusCode).toBe(200)
    expect(await snapshot(`/${TEST_ORG}/app/secret`)).toMatchObject({ tags: [OURS] })
    expect((await snapshot(OTHER_PATH)) as { value: string }).toMatchObject({ value: VALUE })
  })
})

describe("the org's own parameter", () => {
  it('keeps its spinup:org tag: an update naming another org is refused', async () => {
    const name = `/${TEST_ORG}/app/mine`
    const before = await snapshot(name)
    const res = await app.inject({ method: 'PUT', url: '/v1/ecs/main/params/app/mine', headers: authHeaders, payload: { Value: 'x', Tags: [THEIRS] } })
    expect(res.statusCode).toBe(403)
    expect(await snapshot(name)).toEqual(before)
  })

  it('is not visible through another account', async () => {
    expect((await get('/v1/ecs/other/params/app')).json()).toEqual([])
    expect((await get('/v1/ecs/other/params/app/mine')).statusCode).toBe(404)
  })
})

/**
 * Secrets of another org (another `spinup:org` tag, or none) exist in the account but not for this
 * API: every secret route answers as if they were missing and changes nothing about them.
 */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  type DescribeSecretCommandOutput,
  type Tag,
} from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

const FOREIGN: { name: string; tags: Tag[] }[] = [
  { name: 'spinup/otherorg/space/cred', tags: [{ Key: 'spinup:org', Value: 'otherorg' }, { Key: 'app', Value: 'web' }] },
  { name: 'untagged', tags: [{ Key: 'app', Value: 'web' }] },
]
const VALUE = 'foreign-value'

let sm: SecretsManagerClient
let app: FastifyInstance
let arns: Record<string, string>

async function snapshot(name: string): Promise<{ meta: DescribeSecretCommandOutput; value: string | undefined }> {
  const meta = await sm.send(new DescribeSecretCommand({ SecretId: name }))
  delete (meta as { $metadata?: unknown }).$metadata
  const value = (await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString
  return { meta, value }
}

beforeEach(async () => {
  sm = new SecretsManagerClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => sm.destroy())
  arns = {}
  for (const { name, tags } of FOREIGN) {
    arns[name] = (await sm.send(new CreateSecretCommand({ Name: name, SecretString: VALUE, Tags: tags }))).ARN!
  }
  app = await buildTestApp()
})

const ids = (name: string) => [encodeURIComponent(name), encodeURIComponent(arns[name]!)]

describe.each(FOREIGN.map((f) => f.name))('a secret of another org (%s)', (name) => {
  it('is not listed, with or without tag filters', async () => {
    for (const query of ['', '?app=web', '?spinup:org=otherorg']) {
      const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/secrets${query}`, headers: authHeaders })
      expect(res.statusCode).toBe(200)
      expect(res.json(), query).toEqual([])
    }
  })

  it('is a 404 on show, by name or ARN, at /secrets/ and /secret/', async () => {
    for (const id of ids(name)) {
      for (const spelling of ['secrets', 'secret']) {
        const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/${spelling}/${id}`, headers: authHeaders })
        // The same answer as for a secret that does not exist at all.
        expect(res.statusCode).toBe(404)
        expect(res.json()).toMatchObject({ code: 'NotFound', detail: `secret ${decodeURIComponent(id)} not found` })
        expect(res.body).not.toContain(VALUE)
      }
    }
  })

  it('is a 404 on update (value, tags, or claiming it with our org tag) and stays unchanged', async () => {
    const before = await snapshot(name)
    const bodies = [
      { Secret: 'hijacked' },
      { Tags: [{ Key: 'app', Value: 'hijacked' }] },
      { Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] },
    ]
    for (const id of ids(name)) {
      for (const payload of bodies) {
        const res = await app.inject({ method: 'PUT', url: `/v1/ecs/main/secrets/${id}`, headers: authHeaders, payload })
        expect(res.statusCode, JSON.stringify(payload)).toBe(404)
      }
    }
    expect(await snapshot(name)).toEqual(before)
  })

  it('is a 404 on delete, with a window or at once, and is not deleted', async () => {
    for (const id of ids(name)) {
      for (const query of ['', '?window=0', '?window=30']) {
        const res = await app.inject({ method: 'DELETE', url: `/v1/ecs/main/secret/${id}${query}`, headers: authHeaders })
        expect(res.statusCode).toBe(404)
      }
    }
    expect((await snapshot(name)).meta.DeletedDate).toBeUndefined()
  })

  it('cannot be replaced by a create of the same name (409), and stays unchanged', async () => {
    const before = await snapshot(name)
    const res = await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: authHeaders, payload: { Name: name, SecretString: 'mine-now' } })
    expect(res.statusCode).toBe(409)
    expect(await snapshot(name)).toEqual(before)
  })
})

describe("the org's own secret", () => {
  it("keeps its spinup:org tag: an update naming another org is refused", async () => {
    await sm.send(new CreateSecretCommand({ Name: 'ours', SecretString: 'v', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }))
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/ecs/main/secrets/ours',
      headers: authHeaders,
      payload: { Tags: [{ Key: 'spinup:org', Value: 'otherorg' }] },
    })
    expect(res.statusCode).toBe(403)
    expect((await snapshot('ours')).meta.Tags).toEqual([{ Key: 'spinup:org', Value: TEST_ORG }])
  })

  it('is not visible through another account', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'ours', SecretString: 'v', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }))
    const show = await app.inject({ method: 'GET', url: '/v1/ecs/other/secrets/ours', headers: authHeaders })
    expect(show.statusCode).toBe(404)
    const list = await app.inject({ method: 'GET', url: '/v1/ecs/other/secrets', headers: authHeaders })
    expect(list.json()).toEqual([])
  })
})

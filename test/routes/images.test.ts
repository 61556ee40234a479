/**
 * HEAD (and GET) /v1/ecs/images?image= through the whole app, against real docker-registry
 * instances (test/harness/registry.ts) and tiny Node servers that hang or record.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { authHeaders, buildTestApp, testConfig, xAuthHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { MEDIA, startFakeServer, startRegistryFixture, USERS, type FakeServer, type RegistryFixture } from '../harness/registry.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

const registryAuth = (username: string, password: string): string => Buffer.from(JSON.stringify({ username, password })).toString('base64')
const ALICE = registryAuth('alice', USERS.alice)

let fx: RegistryFixture

beforeAll(async () => {
  fx = await startRegistryFixture()
})
afterAll(async () => {
  await fx?.stop()
})

/** `images` config that lets the app reach the test registries (and `extra`) on loopback over HTTP. */
function imagesConfig(extra: string[] = [], timeoutMs = 5000): Record<string, unknown> {
  const hosts = [fx.basic.host, fx.token.host, fx.tokenServer.host, ...extra]
  return { images: { allowedPrivateHosts: hosts, insecureHosts: hosts, timeoutMs } }
}

async function fake(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler)
  onTestFinished(() => server.close())
  return server
}

const url = (image: string): string => `/v1/ecs/images?image=${encodeURIComponent(image)}`

describe('HEAD /v1/ecs/images', () => {
  it('answers 200 with the Docker-Content-Digest and no body when the image exists', async () => {
    const app = await buildTestApp(imagesConfig())
    const res = await app.inject({ method: 'HEAD', url: url(`${fx.basic.host}/team/app:list`), headers: { ...authHeaders, 'x-registry-auth': ALICE } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['docker-content-digest']).toBe(fx.digests.basic.list)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.body).toBe('')
  })

  it('answers GET with the same check and a body describing what was found', async () => {
    const app = await buildTestApp(imagesConfig())
    const res = await app.inject({ method: 'GET', url: url(`${fx.token.host}/public/app@${fx.digests.tokenPublic.index}`), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.headers['docker-content-digest']).toBe(fx.digests.tokenPublic.index)
    expect(res.json()).toEqual({
      image: `${fx.token.host}/public/app@${fx.digests.tokenPublic.index}`,
      registry: fx.token.host,
      repository: 'public/app',
      reference: fx.digests.tokenPublic.index,
      digest: fx.digests.tokenPublic.index,
      mediaType: MEDIA.ociIndex,
    })
  })

  it('works with the original X-Auth-Token scheme and token-auth registry credentials', async () => {
    const app = await buildTestApp(imagesConfig())
    const res = await app.inject({ method: 'HEAD', url: url(`${fx.token.host}/team/app:oci`), headers: { ...(await xAuthHeaders()), 'x-registry-auth': ALICE } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['docker-content-digest']).toBe(fx.digests.tokenPrivate.oci)
  })

  it('answers 404 for a missing tag, and for credentials that do not grant pull', async () => {
    const app = await buildTestApp(imagesConfig())
    for (const [image, header] of [
      [`${fx.basic.host}/team/app:nope`, ALICE],
      [`${fx.basic.host}/team/app:oci`, registryAuth('alice', 'wrong')],
      [`${fx.token.host}/team/app:oci`, undefined],
    ] as const) {
      const headers = { ...authHeaders, ...(header ? { 'x-registry-auth': header } : {}) }
      expect((await app.inject({ method: 'HEAD', url: url(image), headers })).statusCode).toBe(404)
      const res = await app.inject({ method: 'GET', url: url(image), headers })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 404, code: 'NotFound', detail: expect.stringContaining(`image ${image} not found`) })
    }
  })

  it('requires authentication', async () => {
    const app = await buildTestApp(imagesConfig())
    expect((await app.inject({ method: 'HEAD', url: url('nginx') })).statusCode).toBe(401)
  })
})

describe('HEAD /v1/ecs/images: bad input', () => {
  it.each([
    ['missing image', '/v1/ecs/images', undefined, "must have required property 'image'"],
    ['empty image', '/v1/ecs/images?image=', undefined, 'querystring/image must NOT have fewer than 1 characters'],
    ['a reference with a space', url('team/my app'), undefined, 'contains whitespace'],
    ['an over-long reference', url(`team/app:${'x'.repeat(520)}`), undefined, 'querystring/image must NOT have more than 520 characters'],
    ['an over-long repository name', url(`registry.example/${'a'.repeat(250)}`), undefined, 'repository name must not be longer than 255 characters'],
    ['an upper-case repository', url('Team/App'), undefined, 'repository name must be lowercase'],
    ['a malformed digest', url('team/app@sha256:1234'), undefined, 'malformed digest'],
    ['X-Registry-Auth not base64', url('nginx'), 'not base64!', 'unable to decode registry authentication header: X-Registry-Auth is not base64'],
    ['X-Registry-Auth not JSON', url('nginx'), Buffer.from('{"username":').toString('base64'), 'does not decode to UTF-8 JSON'],
    ['X-Registry-Auth not an object', url('nginx'), Buffer.from('["alice"]').toString('base64'), 'must be a JSON object'],
  ])('%s: 400 naming the problem', async (_label, path, registryAuthHeader, reason) => {
    const app = await buildTestApp(imagesConfig())
    const headers = { ...authHeaders, ...(registryAuthHeader ? { 'x-registry-auth': registryAuthHeader } : {}) }
    expect((await app.inject({ method: 'HEAD', url: path, headers })).statusCode).toBe(400)
    const res = await app.inject({ method: 'GET', url: path, headers })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(reason) })
  })

  it('refuses a registry on loopback by default, and reaches it once allowed (SSRF guard off and on)', async () => {
    const registry = await fake((_req, res) => res.writeHead(200, { 'docker-content-digest': fx.digests.basic.oci }).end())
    const image = `${registry.host}/team/app:v1`
    const guarded = await buildTestApp()
    const refused = await guarded.inject({ method: 'GET', url: url(image), headers: { ...authHeaders, 'x-registry-auth': ALICE } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ code: 'BadRequest', detail: `registry host "${registry.host}" is a loopback address; refused (operators can allow the host in images.allowedPrivateHosts)` })
    expect(registry.requests).toHaveLength(0)

    const allowing = await buildTestApp(imagesConfig([registry.host]))
    const res = await allowing.inject({ method: 'HEAD', url: url(image), headers: authHeaders })
    expect([res.statusCode, res.headers['docker-content-digest']]).toEqual([200, fx.digests.basic.oci])
    expect(registry.requests).toHaveLength(1)
  })
})

describe('HEAD /v1/ecs/images: failing registries', () => {
  it('answers 502 when the registry hangs past images.timeoutMs', async () => {
    const registry = await fake(() => {})
    const app = await buildTestApp(imagesConfig([registry.host], 300))
    const res = await app.inject({ method: 'GET', url: url(`${registry.host}/team/app:v1`), headers: authHeaders })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ code: 'BadGateway', detail: `registry ${registry.host} did not answer within 300 ms` })
  })

  it('passes registry throttling on as 429 with Retry-After', async () => {
    const registry = await fake((_req, res) => res.writeHead(429, { 'retry-after': '12' }).end())
    const app = await buildTestApp(imagesConfig([registry.host]))
    const res = await app.inject({ method: 'HEAD', url: url(`${registry.host}/team/app:v1`), headers: authHeaders })
    expect([res.statusCode, res.headers['retry-after']]).toEqual([429, '12'])
  })
})

describe('HEAD /v1/ecs/images: credentials stay out of logs', () => {
  it('never logs X-Registry-Auth or the password, on success or failure', async () => {
    const lines: string[] = []
    const config = await testConfig({ ...imagesConfig(), logLevel: 'trace' })
    const app = await buildApp({ config, logStream: { write: (line) => void lines.push(line) } })
    onTestFinished(() => app.close())
    const badJson = Buffer.from(`{"username":"alice","password":"${USERS.alice}"`).toString('base64')
    const wrong = registryAuth('alice', `${USERS.alice}-wrong`)
    fx.tokenServer.mode = 'garbage'
    try {
      for (const [image, header] of [
        [`${fx.basic.host}/team/app:oci`, ALICE],
        [`${fx.basic.host}/team/app:oci`, wrong],
        [`${fx.token.host}/team/app:oci`, ALICE], // 502: the registry refuses the garbage token
        ['nginx', badJson], // 400
      ] as const) {
        await app.inject({ method: 'HEAD', url: url(image), headers: { ...authHeaders, 'x-registry-auth': header } })
      }
    } finally {
      fx.tokenServer.mode = 'normal'
    }
    expect(lines.some((l) => l.includes('upstream failure'))).toBe(true)
    expect(lines.some((l) => l.includes('request rejected'))).toBe(true)
    const log = lines.join('')
    for (const secret of [USERS.alice, ALICE, wrong, badJson, Buffer.from(`alice:${USERS.alice}`).toString('base64')]) {
      expect(log).not.toContain(secret)
    }
  })
})

describe('OpenAPI', () => {
  it('documents HEAD and GET /v1/ecs/images with the X-Registry-Auth header', async () => {
    const app = await buildTestApp()
    const doc = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{ paths: Record<string, Record<string, { tags: string[]; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>> }>()
    const path = doc.paths['/v1/ecs/images']!
    expect(Object.keys(path).sort()).toEqual(['get', 'head'])
    expect(path.head!.tags).toEqual(['images'])
    expect(path.head!.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['header:x-registry-auth', 'query:image'])
    expect(Object.keys(path.head!.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '429', '502']))
  })
})

import { hash } from '@node-rs/bcrypt'
import { ListClustersCommand } from '@aws-sdk/client-ecs'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { accountOf } from '../../src/http/accounts-plugin.js'
import { authHeaders, buildTestApp, testConfig, TEST_TOKEN, xAuthHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

/** Adds routes used only by these tests: one AWS read per request, one body echo, one bug. */
function addProbeRoutes(app: Awaited<ReturnType<typeof buildTestApp>>) {
  app.get('/v1/ecs/:account/probe/clusters', async (req) => {
    const out = await accountOf(req).clients.ecs.send(new ListClustersCommand({}))
    return { ClusterArns: out.clusterArns ?? [] }
  })
  app.post('/v1/ecs/:account/probe/echo', async (req) => ({ received: req.body }))
  app.get('/v1/ecs/:account/probe/bug', async () => {
    throw new TypeError('cannot read properties of undefined (reading "secretThing")')
  })
}

describe('auth over HTTP', () => {
  it('answers 401 problem+json without credentials, with a bad token, and with a bad hash', async () => {
    const app = await buildTestApp()
    addProbeRoutes(app)
    for (const headers of [{}, { authorization: 'Bearer nope' }, { 'x-auth-token': await hash('nope', 4) }, { 'x-auth-token': 'plain' }]) {
      const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/clusters', headers })
      expect(res.statusCode).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 401, code: 'Unauthorized', title: 'Unauthorized' })
    }
  })

  it('accepts X-Auth-Token bcrypt hashes and Bearer tokens', async () => {
    const app = await buildTestApp()
    addProbeRoutes(app)
    for (const headers of [authHeaders, await xAuthHeaders()]) {
      const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/clusters', headers })
      expect(res.statusCode).toBe(200)
    }
  })

  it('answers a cost-31 bcrypt header with 401 without running bcrypt', async () => {
    const app = await buildTestApp()
    addProbeRoutes(app)
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/clusters', headers: { 'x-auth-token': `$2a$31$${'x'.repeat(53)}` } })
    expect(res.statusCode).toBe(401)
    expect(res.json().detail).toContain('cost 31')
    // Refused before any hashing: a cost-31 bcrypt would take hours.
    expect(app.authenticator.bcryptRuns).toBe(0)
  })

  it('1,000 requests with the same bcrypt header cost one bcrypt', async () => {
    const app = await buildTestApp()
    const headers = { 'x-auth-token': await hash(TEST_TOKEN, 10) }
    const results = await Promise.all(Array.from({ length: 1000 }, () => app.inject({ method: 'GET', url: '/v1/ecs/main/no-such' , headers })))
    expect(results.every((r) => r.statusCode === 404)).toBe(true)
    expect(app.authenticator.bcryptRuns).toBe(1)
  })

  it('answers OPTIONS on any path 200 with CORS headers, without auth', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'OPTIONS', url: '/v1/ecs/main/clusters/x/services' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(String(res.headers['access-control-expose-headers'])).toContain('X-Flywheel-Task')
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase()
    for (const h of ['x-auth-token', 'authorization', 'content-type', 'x-registry-auth']) expect(allowed).toContain(h)
  })
})

describe('request handling', () => {
  it('answers an unknown account 404 before any AWS call', async () => {
    const app = await buildTestApp()
    addProbeRoutes(app)
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/nosuch/probe/clusters', headers: authHeaders })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'NotFound', detail: 'account nosuch is not configured' })
    const metrics = await app.metrics.registry.getSingleMetricAsString('ecs_api_aws_calls_total')
    expect(metrics).not.toContain('ListClusters')
  })

  it('answers malformed JSON 400, an empty JSON body 400, and a body over the limit 413', async () => {
    const app = await buildTestApp({ bodyLimit: 2048 })
    addProbeRoutes(app)
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/v1/ecs/main/probe/echo', headers: { ...authHeaders, 'content-type': 'application/json' }, payload })
    const malformed = await post('{"a": ')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json()).toMatchObject({ code: 'BadRequest' })
    expect(malformed.json().detail).toMatch(/JSON/)
    expect((await post('')).statusCode).toBe(400)
    const big = await post(JSON.stringify({ x: 'y'.repeat(4096) }))
    expect(big.statusCode).toBe(413)
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect((await post('{"ok":true}')).json()).toEqual({ received: { ok: true } })
  })

  it('echoes a caller request id, generates one otherwise, and puts it in error bodies', async () => {
    const app = await buildTestApp()
    const given = await app.inject({ method: 'GET', url: '/v1/ecs/ping', headers: { 'x-request-id': 'abc-123' } })
    expect(given.headers['x-request-id']).toBe('abc-123')
    const made = await app.inject({ method: 'GET', url: '/v1/ecs/ping', headers: { 'x-request-id': 'bad id with spaces' } })
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const err = await app.inject({ method: 'GET', url: '/v1/ecs/main/x', headers: { ...authHeaders, 'x-request-id': 'req-9' } })
    expect(err.json().requestId).toBe('req-9')
  })

  it('answers our own bugs 500 with a log id and no internals', async () => {
    const app = await buildTestApp()
    addProbeRoutes(app)
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/bug', headers: { ...authHeaders, 'x-request-id': 'bug-1' } })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ code: 'InternalError', detail: 'internal error; logId=bug-1', logId: 'bug-1' })
    expect(res.body).not.toContain('secretThing')
  })

  it('logs JSON lines carrying the request id, and never the credentials', async () => {
    const lines: string[] = []
    const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb() } })
    const config = await testConfig({ logLevel: 'debug' })
    const app = await buildApp({ config, logStream: stream })
    addProbeRoutes(app)
    const badHash = await hash('not-the-token', 4)
    await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/clusters', headers: { 'x-auth-token': badHash, 'x-request-id': 'log-1' } })
    await app.inject({ method: 'GET', url: '/v1/ecs/main/probe/bug', headers: { ...authHeaders, 'x-request-id': 'log-2' } })
    await app.close()
    const parsed = lines.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const forRequest = parsed.filter((l) => l.requestId === 'log-1')
    expect(forRequest.length).toBeGreaterThan(0)
    expect(parsed.some((l) => l.requestId === 'log-2' && l.level === 'error')).toBe(true)
    const all = lines.join('')
    expect(all).not.toContain(badHash)
    expect(all).not.toContain(TEST_TOKEN)
  })

  it('accepts the seed spellings: /cluster/ for /clusters/, /secret/ for /secrets/, doubled slashes', async () => {
    const app = await buildTestApp()
    app.get('/v1/ecs/:account/clusters/:cluster/probe', async (req) => ({ route: req.routeOptions.url, params: req.params }))
    app.get('/v1/ecs/:account/secrets/:secret/probe', async (req) => ({ params: req.params }))
    const viaCluster = await app.inject({ method: 'GET', url: '/v1/ecs/main/cluster/c1/probe', headers: authHeaders })
    expect(viaCluster.json()).toEqual({ route: '/v1/ecs/:account/clusters/:cluster/probe', params: { account: 'main', cluster: 'c1' } })
    const doubled = await app.inject({ method: 'GET', url: '/v1/ecs//main/clusters/c1/probe', headers: authHeaders })
    expect(doubled.statusCode).toBe(200)
    const secret = await app.inject({ method: 'GET', url: '/v1/ecs/main/secret/a%2Fb/probe', headers: authHeaders })
    expect(secret.json()).toEqual({ params: { account: 'main', secret: 'a/b' } })
  })
})

describe('router-level failures', () => {
  it('accepts path parameters as long as real ARNs, and answers an undecodable URL with problem+json', async () => {
    const app = await buildTestApp()
    app.get('/v1/ecs/:account/secrets/:secret/len', async (req) => ({ length: (req.params as { secret: string }).secret.length }))
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:spinup/testorg/${'c'.repeat(40)}/${'n'.repeat(40)}-AbCdEf`
    const long = await app.inject({ method: 'GET', url: `/v1/ecs/main/secrets/${encodeURIComponent(arn)}/len`, headers: authHeaders })
    expect(long.json()).toEqual({ length: arn.length })
    const bad = await app.inject({ method: 'GET', url: '/v1/ecs/main/secrets/%E0%A4%A', headers: { ...authHeaders, 'x-request-id': 'bad-url' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(bad.json()).toMatchObject({ code: 'BadRequest', requestId: 'bad-url' })
  })
})

describe('auth under load', () => {
  it('answers 503 with Retry-After when too many distinct hashes wait for bcrypt', async () => {
    const app = await buildTestApp()
    const hashes = await Promise.all(Array.from({ length: 40 }, (_, i) => hash(`wrong-${i}`, 4)))
    const results = await Promise.all(hashes.map((h) => app.inject({ method: 'GET', url: '/v1/ecs/main/x', headers: { 'x-auth-token': h } })))
    const busy = results.filter((r) => r.statusCode === 503)
    expect(busy.length).toBeGreaterThan(0)
    expect(busy[0]!.headers['retry-after']).toBe('1')
    expect(results.filter((r) => r.statusCode === 401).length + busy.length).toBe(40)
  })
})

describe('bodies of DELETE requests', () => {
  it('accepts Content-Type: application/json with no body on DELETE, still refuses it on POST', async () => {
    const app = await buildTestApp()
    app.delete('/v1/ecs/:account/probe/thing', async (req) => ({ body: req.body ?? null }))
    const del = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/probe/thing', headers: { ...authHeaders, 'content-type': 'application/json' } })
    expect(del.statusCode).toBe(200)
    expect(del.json()).toEqual({ body: null })
    const withBody = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/probe/thing', headers: { ...authHeaders, 'content-type': 'application/json' }, payload: '{"a":1}' })
    expect(withBody.json()).toEqual({ body: { a: 1 } })
    const poisoned = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/probe/thing', headers: { ...authHeaders, 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' })
    expect(poisoned.statusCode).toBe(400)
  })
})

import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

describe('public system routes', () => {
  it('GET /v1/ecs/ping answers pong without auth', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/ping' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('pong')
    expect(res.headers['access-control-allow-origin']).toBe('*')
  })

  it('GET /v1/ecs/version answers the lower-case version keys', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/version' })
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, string>>()
    expect(Object.keys(body).sort()).toEqual(['buildstamp', 'githash', 'version'])
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('GET /v1/ecs/metrics exposes request metrics labelled by route template, and process metrics', async () => {
    const app = await buildTestApp()
    await app.inject({ method: 'GET', url: '/v1/ecs/ping' })
    await app.inject({ method: 'GET', url: '/v1/ecs/main/no/such/route' })
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.body).toContain('http_requests_total{method="GET",route="/v1/ecs/ping",status_code="200"} 1')
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/ecs\/ping"/)
    expect(res.body).toContain('process_resident_memory_bytes')
    // Unmatched paths never become labels of their own.
    expect(res.body).not.toContain('/no/such/route')
  })

  it('livez and readyz answer, and readyz reports failing checks with 503', async () => {
    const app = await buildTestApp()
    expect((await app.inject({ method: 'GET', url: '/v1/ecs/livez' })).json()).toEqual({ status: 'ok' })
    expect((await app.inject({ method: 'GET', url: '/v1/ecs/readyz' })).statusCode).toBe(200)
    app.readinessChecks.set('store', () => Promise.reject(new Error('store closed')))
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/readyz' })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({ status: 'unavailable', checks: { operations: 'ok', store: 'store closed' } })
  })

  it('serves the OpenAPI 3.1 document and the docs page without auth', async () => {
    const app = await buildTestApp()
    const doc = await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })
    expect(doc.statusCode).toBe(200)
    const spec = doc.json<{ openapi: string; paths: Record<string, unknown>; components: { securitySchemes: object } }>()
    expect(spec.openapi).toBe('3.1.0')
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/ecs/ping', '/v1/ecs/version', '/v1/ecs/readyz']))
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(['authToken', 'bearer'])
    const docs = await app.inject({ method: 'GET', url: '/v1/ecs/docs/' })
    expect(docs.statusCode).toBe(200)
    expect(docs.body).toContain('<html')
  })
})

import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

/**
 * The compatibility contract: every route of the original service, with its method and path, is
 * served and documented in the OpenAPI document (which is generated from the routes' own schemas).
 */
const originalRoutes = [
  'GET /v1/ecs/ping',
  'GET /v1/ecs/version',
  'GET /v1/ecs/metrics',
  'HEAD /v1/ecs/images',
  'POST /v1/ecs/{account}/services',
  'GET /v1/ecs/{account}/clusters/{cluster}/services',
  'PUT /v1/ecs/{account}/clusters/{cluster}/services/{service}',
  'DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service}',
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}',
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/events',
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/logs',
  'GET /v1/ecs/{account}/clusters/{cluster}/tasks/{task}',
  'DELETE /v1/ecs/{account}/clusters/{cluster}/tasks/{task}',
  'POST /v1/ecs/{account}/taskdefs',
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs',
  'PUT /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}',
  'DELETE /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}',
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}',
  'POST /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks',
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks',
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks/{task}',
  'DELETE /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks/{task}',
  'GET /v1/ecs/{account}/secrets',
  'POST /v1/ecs/{account}/secrets',
  'GET /v1/ecs/{account}/secrets/{secret}',
  'DELETE /v1/ecs/{account}/secrets/{secret}',
  'PUT /v1/ecs/{account}/secrets/{secret}',
  'POST /v1/ecs/{account}/params/{prefix}',
  'GET /v1/ecs/{account}/params/{prefix}',
  'DELETE /v1/ecs/{account}/params/{prefix}',
  'GET /v1/ecs/{account}/params/{prefix}/{param}',
  'DELETE /v1/ecs/{account}/params/{prefix}/{param}',
  'PUT /v1/ecs/{account}/params/{prefix}/{param}',
  'GET /v1/ecs/{account}/lbs',
  'GET /v1/ecs/{account}/lbs/{space}',
]

const ourRoutes = [
  'GET /v1/ecs/livez',
  'GET /v1/ecs/readyz',
  'GET /v1/ecs/openapi.json',
  'GET /v1/ecs/{account}/operations',
  'GET /v1/ecs/{account}/operations/{id}',
  'POST /v1/ecs/{account}/operations/{id}/retry',
  'GET /v1/ecs/flywheel',
]

describe('route catalogue', () => {
  it('documents all 35 routes of the original, and ours, in the OpenAPI document', async () => {
    expect(originalRoutes).toHaveLength(35)
    const app = await buildTestApp()
    const spec = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>()
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    expect(documented).toEqual(expect.arrayContaining([...originalRoutes, ...ourRoutes]))
  })

  it('serves every one of them (no route answers 404 "no route")', async () => {
    const app = await buildTestApp()
    for (const route of [...originalRoutes, ...ourRoutes]) {
      const [method, path] = route.split(' ') as [string, string]
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'account' ? 'main' : `x${name}`))
      const res = await app.inject({ method: method as 'GET', url, headers: { authorization: 'Bearer wrong' } })
      // Authentication runs first everywhere but on public routes; a missing route would be 404.
      expect([200, 401, 400, 503], `${route} answered ${res.statusCode}`).toContain(res.statusCode)
    }
  })
})

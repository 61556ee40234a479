/**
 * `/v1/ecs/openapi.json` documents the headers of retries, concurrency and paging on the routes they
 * apply to, and the audit route.
 */
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

interface Operation {
  parameters?: { name: string; in: string }[]
  responses: Record<string, { headers?: Record<string, unknown> }>
}

describe('OpenAPI: retries, concurrency and audit', () => {
  it('documents Idempotency-Key, ETag, If-None-Match, If-Match, the page headers and the audit route', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = res.json<{ paths: Record<string, Record<string, Operation>> }>().paths
    const headerParams = (op: Operation | undefined) => (op?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase())
    const queryParams = (op: Operation | undefined) => (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)

    for (const [path, ops] of Object.entries(paths)) {
      if (ops.post) expect(headerParams(ops.post), path).toContain('idempotency-key')
      if (ops.post) expect(Object.keys(ops.post.responses), path).toEqual(expect.arrayContaining(['409', '422']))
    }
    const service = paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}']!
    expect(headerParams(service.get)).toContain('if-none-match')
    expect(service.get!.responses['200']!.headers).toHaveProperty('ETag')
    expect(service.get!.responses).toHaveProperty('304')
    expect(headerParams(service.put)).toContain('if-match')
    expect(headerParams(service.delete)).toContain('if-match')
    expect(service.put!.responses).toHaveProperty('412')
    for (const path of ['/v1/ecs/{account}/secrets/{secret}', '/v1/ecs/{account}/params/{prefix}/{param}', '/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}']) {
      expect(paths[path]!.get!.responses['200']!.headers, path).toHaveProperty('ETag')
      expect(headerParams(paths[path]!.put), path).toContain('if-match')
    }

    for (const path of [
      '/v1/ecs/{account}/clusters/{cluster}/services',
      '/v1/ecs/{account}/clusters/{cluster}/taskdefs',
      '/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks',
      '/v1/ecs/{account}/secrets',
      '/v1/ecs/{account}/params/{prefix}',
      '/v1/ecs/{account}/operations',
      '/v1/ecs/{account}/audit',
    ]) {
      expect(queryParams(paths[path]!.get), path).toEqual(expect.arrayContaining(['limit', 'next']))
    }
    for (const path of ['/v1/ecs/{account}/clusters/{cluster}/services', '/v1/ecs/{account}/audit']) {
      expect(Object.keys(paths[path]!.get!.responses['200']!.headers ?? {}), path).toEqual(['X-Items', 'X-Per-Page', 'X-Next-Token', 'Link'])
    }
    expect(queryParams(paths['/v1/ecs/{account}/audit']!.get)).toEqual(expect.arrayContaining(['space', 'target', 'since', 'until']))
  })
})

/**
 * The per-token rate limit: off by default; when configured, a request beyond the burst is a 429
 * with Retry-After and the IETF RateLimit headers, per token, and the public paths are never limited.
 */
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

describe('per-token rate limit', () => {
  it('is off by default: no RateLimit headers', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/operations', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.headers['ratelimit-policy']).toBeUndefined()
  })

  it('answers 429 with Retry-After and RateLimit headers beyond the burst, per token; public paths are exempt', async () => {
    // A refill far slower than the test, so the count does not depend on timing.
    const app = await buildTestApp({ rateLimit: { perSecond: 0.001, burst: 2 }, tokens: ['second-token-0123456789'] })
    const url = '/v1/ecs/main/operations'
    const first = await app.inject({ method: 'GET', url, headers: authHeaders })
    expect(first.statusCode).toBe(200)
    expect(first.headers['ratelimit-policy']).toBe('"per-token";q=2;w=2000')
    expect(first.headers.ratelimit).toMatch(/^"per-token";r=1;t=\d+$/)
    expect((await app.inject({ method: 'GET', url, headers: authHeaders })).statusCode).toBe(200)
    const limited = await app.inject({ method: 'GET', url, headers: authHeaders })
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['content-type']).toContain('application/problem+json')
    expect(limited.json()).toMatchObject({ code: 'LimitExceeded', status: 429 })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(limited.headers.ratelimit).toMatch(/^"per-token";r=0;t=\d+$/)
    expect(limited.headers['ratelimit-policy']).toBe('"per-token";q=2;w=2000')

    // Another token has its own bucket.
    expect((await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer second-token-0123456789' } })).statusCode).toBe(200)
    for (const path of ['ping', 'livez', 'readyz', 'metrics']) {
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'GET', url: `/v1/ecs/${path}`, headers: authHeaders })
        expect(res.statusCode, path).not.toBe(429)
      }
    }
  })
})

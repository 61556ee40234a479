/**
 * Per-token request rate (config `rateLimit`, off when absent): a token bucket per configured token
 * that refills at `perSecond` and holds `burst`. Beyond it a request is answered 429 with
 * `Retry-After`; every authenticated answer carries the IETF `RateLimit-Policy` and `RateLimit`
 * headers (draft-ietf-httpapi-ratelimit-headers). The public paths (ping, livez, readyz, metrics,
 * version, the OpenAPI document) carry no token and are not limited.
 *
 * Buckets live in each process: with several replicas each allows the rate on its own.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { LRUCache } from 'lru-cache'
import { ThrottledError } from '../core/errors.js'

export interface RateLimitOptions {
  perSecond: number
  burst: number
}

interface Bucket {
  tokens: number
  atMs: number
}

const POLICY = 'per-token'

export const rateLimitPlugin = fp(
  (app: FastifyInstance, options: RateLimitOptions) => {
    const { perSecond, burst } = options
    const buckets = new LRUCache<string, Bucket>({ max: 10_000 })
    const windowSeconds = Math.max(1, Math.ceil(burst / perSecond))
    const policy = `"${POLICY}";q=${burst};w=${windowSeconds}`

    app.addHook('onRequest', async (request, reply) => {
      const tokenId = request.tokenId
      if (tokenId === undefined) return
      const mark = app.hasDecorator('internalRequestMark') ? app.internalRequestMark : undefined
      if (mark && request.headers[mark.header] === mark.value) return
      const now = Date.now()
      const bucket = buckets.get(tokenId) ?? { tokens: burst, atMs: now }
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.atMs) / 1000) * perSecond)
      bucket.atMs = now
      const allowed = bucket.tokens >= 1
      if (allowed) bucket.tokens -= 1
      buckets.set(tokenId, bucket)
      const untilNext = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond))
      const reset = bucket.tokens >= 1 ? Math.ceil((burst - bucket.tokens) / perSecond) : untilNext
      void reply.header('RateLimit-Policy', policy).header('RateLimit', `"${POLICY}";r=${Math.floor(bucket.tokens)};t=${reset}`)
      if (!allowed) {
        throw new ThrottledError(`rate limit of ${perSecond} requests per second (burst ${burst}) for this token exceeded; retry after ${untilNext} s`, {
          retryAfter: untilNext,
        })
      }
    })
  },
  { name: 'rate-limit', dependencies: ['auth'] },
)

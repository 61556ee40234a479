import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError, UnauthorizedError } from '../core/errors.js'
import { Authenticator } from './authenticator.js'

const publicPaths = new Set([
  '/v1/ecs/ping',
  '/v1/ecs/version',
  '/v1/ecs/metrics',
  '/v1/ecs/livez',
  '/v1/ecs/readyz',
  '/v1/ecs/openapi.json',
])
const publicPrefix = '/v1/ecs/docs'

export function isPublicPath(url: string): boolean {
  const path = url.split('?', 1)[0]!
  return publicPaths.has(path) || path === publicPrefix || path.startsWith(`${publicPrefix}/`)
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticator: Authenticator
  }
  interface FastifyRequest {
    /** The configured token the request authenticated with, by id (never its value); unset on public paths. */
    tokenId: string | undefined
  }
}

export interface AuthPluginOptions {
  tokens: readonly string[]
  maxBcryptCost: number
  cacheSize: number
}

/** Authenticates every request but the public paths; the failed credential is never logged. */
export const authPlugin = fp(
  (app: FastifyInstance, options: AuthPluginOptions) => {
    const authenticator = new Authenticator(options)
    app.decorate('authenticator', authenticator)
    app.decorateRequest('tokenId', undefined)
    app.addHook('onRequest', async (request) => {
      if (request.method === 'OPTIONS' || isPublicPath(request.url)) return
      const header = (name: string) => {
        const v = request.headers[name]
        return Array.isArray(v) ? v[0] : v
      }
      const result = await authenticator.check(header('x-auth-token'), header('authorization'))
      if (!result.ok && result.busy) throw new DomainError('ServiceUnavailable', result.reason, { retryAfter: 1 })
      if (!result.ok) throw new UnauthorizedError(result.reason)
      request.tokenId = result.tokenId
    })
  },
  { name: 'auth', dependencies: ['cors'] },
)

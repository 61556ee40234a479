import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const allowHeaders = 'X-Auth-Token, Authorization, Content-Type, X-Registry-Auth, X-Request-Id'
const allowMethods = 'GET, HEAD, POST, PUT, DELETE, OPTIONS'

/**
 * As the original: any OPTIONS request is answered 200 before auth and routing, so browser
 * preflights from the portal work on every route. Every answer allows any origin; access is
 * governed by the token, not by the origin.
 */
export const corsPlugin = fp(
  (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      // Exposed on every answer: a browser may only read these on the real response, not the preflight.
      void reply.headers({
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'X-Request-Id, X-Flywheel-Task, Location, Retry-After, Docker-Content-Digest, X-Deployment-Id, Preference-Applied',
      })
      if (request.method !== 'OPTIONS') return
      await reply
        .status(200)
        .headers({
          'Access-Control-Allow-Headers': allowHeaders,
          'Access-Control-Allow-Methods': allowMethods,
          'Access-Control-Max-Age': '600',
        })
        .send()
    })
  },
  { name: 'cors' },
)

import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { versionInfo } from '../observability/version.js'

/**
 * The OpenAPI 3.1 document is generated from the same TypeBox schemas that validate requests, so it
 * cannot drift from what the routes accept. Registered before the routes, which it collects.
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ecs-api',
          version: versionInfo().version,
          description:
            'REST API over AWS ECS Fargate and the services around it. Every `/clusters/{cluster}/` route also ' +
            'answers at `/cluster/{cluster}/`, and `/secrets/{secret}` at `/secret/{secret}`.',
        },
        components: {
          securitySchemes: {
            authToken: {
              type: 'apiKey',
              in: 'header',
              name: 'X-Auth-Token',
              description: 'A bcrypt hash of a configured token (the original clients\' scheme).',
            },
            bearer: { type: 'http', scheme: 'bearer', description: 'A configured token.' },
          },
        },
        security: [{ authToken: [] }, { bearer: [] }],
      },
      hideUntagged: false,
    })
    await app.register(swaggerUi, {
      routePrefix: '/v1/ecs/docs',
      uiConfig: { url: '/v1/ecs/openapi.json', deepLinking: true },
    })
  },
  { name: 'openapi' },
)

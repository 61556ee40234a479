import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { versionInfo } from '../observability/version.js'
import { finishDocument } from './openapi-document.js'

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
      // Components keep the `$id` of the shared schemas (`Problem`), so the document can name them.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
      transformObject: (documents) => ('openapiObject' in documents ? finishDocument(documents.openapiObject as Record<string, unknown>) : documents.swaggerObject),
    })
    await app.register(swaggerUi, {
      routePrefix: '/v1/ecs/docs',
      uiConfig: { url: '/v1/ecs/openapi.json', deepLinking: true },
    })
  },
  { name: 'openapi' },
)

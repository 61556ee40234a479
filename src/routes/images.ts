import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { ImageChecker } from '../domain/images/check-image.js'
import { errorResponses } from '../schemas/common.js'
import { ImageCheckSchema, ImageHeadersSchema, ImageQuerySchema, type ImageQuery } from '../schemas/images.js'

/**
 * `HEAD /v1/ecs/images?image=` answers whether an image exists in its registry (200, with the
 * manifest's `Docker-Content-Digest`) or not (404). `GET` answers the same with a body: a HEAD
 * answer cannot carry the reason for a 400 or 502, so callers can ask again with GET to read it.
 */
export async function imageRoutes(app: FastifyInstance): Promise<void> {
  // One checker per app: its token cache is shared by all requests of this process.
  const checker = new ImageChecker(app.config.images)

  app.route<{ Querystring: ImageQuery; Headers: { 'x-registry-auth'?: string } }>({
    method: ['HEAD', 'GET'],
    url: '/v1/ecs/images',
    exposeHeadRoute: false,
    schema: {
      tags: ['images'],
      summary: 'Check that an image exists and can be pulled',
      querystring: ImageQuerySchema,
      headers: ImageHeadersSchema,
      response: {
        200: ImageCheckSchema,
        ...errorResponses,
        429: Type.Ref('Problem'),
        502: Type.Ref('Problem'),
      },
    },
    handler: async (request, reply) => {
      const result = await checker.check(request.query.image, request.headers['x-registry-auth'])
      if (result.digest) void reply.header('Docker-Content-Digest', result.digest)
      return result
    },
  })
}

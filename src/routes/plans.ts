import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ImageChecker } from '../domain/images/check-image.js'
import { verifyService } from '../domain/plan/verify-service.js'
import { serviceContext } from '../domain/services/context.js'
import { verifyServiceSchema } from '../schemas/plans.js'
import { contextOf } from './request-context.js'

/** Preflight checks on what a service runs now (`dryRun`/`verify` on writes live with their routes). */
export async function planRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const images = new ImageChecker(fastify.config.images)

  app.post('/v1/ecs/:account/clusters/:cluster/services/:service/verify', { schema: verifyServiceSchema }, async (request) =>
    verifyService(serviceContext(contextOf(request)), request.params.cluster, request.params.service, images),
  )
}

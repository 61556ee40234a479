import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { spaceContext } from '../domain/spaces/context.js'
import { listSpaces } from '../domain/spaces/list-spaces.js'
import { spaceSummary } from '../domain/spaces/space-summary.js'
import { listSpacesSchema, showSpaceSchema } from '../schemas/spaces.js'
import { contextOf } from './request-context.js'

/** The org's spaces (clusters) and one summary per space, for the portal. */
export async function spaceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/spaces', { schema: listSpacesSchema }, async (request) => listSpaces(spaceContext(contextOf(request))))

  app.get('/v1/ecs/:account/spaces/:space', { schema: showSpaceSchema }, async (request) =>
    spaceSummary(spaceContext(contextOf(request)), request.params.space),
  )
}

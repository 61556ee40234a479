import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { loadBalancerContext } from '../domain/load-balancers/context.js'
import { spaceSummary } from '../domain/load-balancers/space-summary.js'
import { spaceTargetGroups } from '../domain/load-balancers/target-group-map.js'
import { ListTargetGroupsSchema, SpaceLoadBalancersSchema } from '../schemas/load-balancers.js'
import { contextOf } from './request-context.js'

/** Read-only views of a space's load balancers and target groups (only those tagged for our org). */
export async function loadBalancerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/lbs', { schema: ListTargetGroupsSchema }, async (request) =>
    spaceTargetGroups(loadBalancerContext(contextOf(request)), request.query.space),
  )

  app.get('/v1/ecs/:account/lbs/:space', { schema: SpaceLoadBalancersSchema }, async (request) =>
    spaceSummary(loadBalancerContext(contextOf(request)), request.params.space),
  )
}

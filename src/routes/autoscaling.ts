import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { autoscalingContext } from '../domain/autoscaling/context.js'
import { deleteAutoscaling } from '../domain/autoscaling/delete-autoscaling.js'
import { putAutoscaling } from '../domain/autoscaling/put-autoscaling.js'
import { showAutoscaling } from '../domain/autoscaling/show-autoscaling.js'
import { deleteAutoscalingSchema, putAutoscalingSchema, showAutoscalingSchema } from '../schemas/autoscaling.js'
import { contextOf } from './request-context.js'

/** A service's autoscaling (Application Auto Scaling): set, show, remove. */
export async function autoscalingRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const path = '/v1/ecs/:account/clusters/:cluster/services/:service/autoscaling'
  const ctx = (request: FastifyRequest) => autoscalingContext(contextOf(request), request.server.config.autoscaling.maxCapacity)

  app.put(path, { schema: putAutoscalingSchema }, async (request) =>
    putAutoscaling(ctx(request), request.params.cluster, request.params.service, request.body),
  )

  app.get(path, { schema: showAutoscalingSchema }, async (request) =>
    showAutoscaling(ctx(request), request.params.cluster, request.params.service),
  )

  app.delete(path, { schema: deleteAutoscalingSchema }, async (request) =>
    deleteAutoscaling(ctx(request), request.params.cluster, request.params.service),
  )
}

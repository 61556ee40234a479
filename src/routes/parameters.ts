import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createParameter } from '../domain/parameters/create-parameter.js'
import { deleteParameter } from '../domain/parameters/delete-parameter.js'
import { deleteParametersUnderPrefix } from '../domain/parameters/delete-parameters-under-prefix.js'
import { listParameterNames } from '../domain/parameters/list-parameters.js'
import { parameterScope } from '../domain/parameters/org-parameters.js'
import { showParameter } from '../domain/parameters/show-parameter.js'
import { updateParameter } from '../domain/parameters/update-parameter.js'
import {
  CreateParameterSchema,
  DeleteParameterSchema,
  DeleteParametersSchema,
  ListParametersSchema,
  ShowParameterSchema,
  UpdateParameterSchema,
} from '../schemas/parameters.js'
import { contextOf, replyOk } from './request-context.js'

/** `/v1/ecs/{account}/params/{prefix}`: the org's parameters, all under `/<org>/<prefix>/`. */
export async function parameterRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const scope = (request: FastifyRequest) => parameterScope(contextOf(request))

  app.post('/v1/ecs/:account/params/:prefix', { schema: CreateParameterSchema }, async (request, reply) => {
    await createParameter(scope(request), request.params.prefix, request.body)
    return replyOk(reply)
  })

  app.get('/v1/ecs/:account/params/:prefix', { schema: ListParametersSchema }, async (request) =>
    listParameterNames(scope(request), request.params.prefix),
  )

  app.delete('/v1/ecs/:account/params/:prefix', { schema: DeleteParametersSchema }, async (request) =>
    deleteParametersUnderPrefix(scope(request), request.params.prefix),
  )

  app.get('/v1/ecs/:account/params/:prefix/:param', { schema: ShowParameterSchema }, async (request) =>
    showParameter(scope(request), request.params.prefix, request.params.param),
  )

  app.put('/v1/ecs/:account/params/:prefix/:param', { schema: UpdateParameterSchema }, async (request, reply) => {
    const { prefix, param } = request.params
    await updateParameter(scope(request), prefix, param, request.body)
    return replyOk(reply)
  })

  app.delete('/v1/ecs/:account/params/:prefix/:param', { schema: DeleteParameterSchema }, async (request, reply) => {
    await deleteParameter(scope(request), request.params.prefix, request.params.param)
    return replyOk(reply)
  })
}

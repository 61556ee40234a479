import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { decode } from '../codec/index.js'
import { createParameter } from '../domain/parameters/create-parameter.js'
import { deleteParameter } from '../domain/parameters/delete-parameter.js'
import { deleteParametersUnderPrefix } from '../domain/parameters/delete-parameters-under-prefix.js'
import { listParameterNames } from '../domain/parameters/list-parameters.js'
import type { ParameterScope } from '../domain/parameters/org-parameters.js'
import { showParameter } from '../domain/parameters/show-parameter.js'
import { updateParameter } from '../domain/parameters/update-parameter.js'
import { accountOf } from '../http/accounts-plugin.js'
import {
  CreateParameterSchema,
  DeleteParameterSchema,
  DeleteParametersSchema,
  ListParametersSchema,
  ParameterBodyShape,
  ShowParameterSchema,
  UpdateParameterSchema,
} from '../schemas/parameters.js'

/** The original answered these with a bare `OK`; it is sent as the text it is. */
const ok = (reply: FastifyReply) => reply.type('text/plain; charset=utf-8').send('OK')

/** `/v1/ecs/{account}/params/{prefix}`: the org's parameters, all under `/<org>/<prefix>/`. */
export async function parameterRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const scopeOf = (request: FastifyRequest): ParameterScope => {
    const account = accountOf(request)
    return {
      ssm: account.clients.ssm,
      org: app.config.org,
      region: account.config.region,
      defaultKmsKeyId: account.config.defaultKmsKeyId,
    }
  }

  app.post('/v1/ecs/:account/params/:prefix', { schema: CreateParameterSchema }, async (request, reply) => {
    await createParameter(scopeOf(request), request.params.prefix, decode(ParameterBodyShape, request.body).value)
    return ok(reply)
  })

  app.get('/v1/ecs/:account/params/:prefix', { schema: ListParametersSchema }, async (request) =>
    listParameterNames(scopeOf(request), request.params.prefix),
  )

  app.delete('/v1/ecs/:account/params/:prefix', { schema: DeleteParametersSchema }, async (request) =>
    deleteParametersUnderPrefix(scopeOf(request), request.params.prefix),
  )

  app.get('/v1/ecs/:account/params/:prefix/:param', { schema: ShowParameterSchema }, async (request) =>
    showParameter(scopeOf(request), request.params.prefix, request.params.param),
  )

  app.put('/v1/ecs/:account/params/:prefix/:param', { schema: UpdateParameterSchema }, async (request, reply) => {
    const { prefix, param } = request.params
    const { value, unknownKeys } = decode(ParameterBodyShape, request.body)
    await updateParameter(scopeOf(request), prefix, param, value, unknownKeys)
    return ok(reply)
  })

  app.delete('/v1/ecs/:account/params/:prefix/:param', { schema: DeleteParameterSchema }, async (request, reply) => {
    await deleteParameter(scopeOf(request), request.params.prefix, request.params.param)
    return ok(reply)
  })
}

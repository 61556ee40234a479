import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { taskDefContext } from '../domain/taskdefs/context.js'
import { createTaskDefinition } from '../domain/taskdefs/create-task-definition.js'
import { deleteTaskDefinition } from '../domain/taskdefs/delete-task-definition.js'
import { listTaskDefinitions } from '../domain/taskdefs/list-task-definitions.js'
import { showTaskDefinition } from '../domain/taskdefs/show-task-definition.js'
import { updateTaskDefinition } from '../domain/taskdefs/update-task-definition.js'
import { replyAccepted } from '../operations/index.js'
import { queryBool } from '../schemas/services.js'
import {
  createTaskDefSchema,
  deleteTaskDefSchema,
  listTaskDefsSchema,
  showTaskDefSchema,
  updateTaskDefSchema,
} from '../schemas/taskdefs.js'
import { contextOf } from './request-context.js'

/** The org's managed task definitions: create, list, show, update and delete. */
export async function taskDefRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const base = '/v1/ecs/:account/clusters/:cluster/taskdefs'
  const ctx = (request: FastifyRequest) => taskDefContext(contextOf(request))

  app.post('/v1/ecs/:account/taskdefs', { schema: createTaskDefSchema }, async (request) =>
    createTaskDefinition(ctx(request), request.body),
  )

  app.get(base, { schema: listTaskDefsSchema }, async (request) => listTaskDefinitions(ctx(request), request.params.cluster))

  app.get(`${base}/:taskdef`, { schema: showTaskDefSchema }, async (request) =>
    showTaskDefinition(ctx(request), request.params.cluster, request.params.taskdef),
  )

  app.put(`${base}/:taskdef`, { schema: updateTaskDefSchema }, async (request) =>
    updateTaskDefinition(ctx(request), request.params.cluster, request.params.taskdef, request.body),
  )

  app.delete(`${base}/:taskdef`, { schema: deleteTaskDefSchema }, async (request, reply) => {
    const { recursive, force } = request.query
    const { operation, body } = await deleteTaskDefinition(ctx(request), request.params.cluster, request.params.taskdef, {
      recursive: queryBool(recursive),
      force: queryBool(force),
    })
    return replyAccepted(reply, operation, body)
  })
}

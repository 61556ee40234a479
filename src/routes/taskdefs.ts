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
import { withPlan } from '../schemas/plans.js'
import { ImageChecker } from '../domain/images/check-image.js'
import { planTaskDefinitionCreate } from '../domain/plan/plan-task-definition-create.js'
import { planTaskDefinitionUpdate } from '../domain/plan/plan-task-definition-update.js'
import { requirePassingChecks } from '../domain/plan/preflight.js'
import { contextOf, planQuery } from './request-context.js'

/** The org's managed task definitions: create, list, show, update and delete. */
export async function taskDefRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const base = '/v1/ecs/:account/clusters/:cluster/taskdefs'
  const ctx = (request: FastifyRequest) => taskDefContext(contextOf(request))
  // Dry runs and verify check images; one checker per route group shares its registry token cache.
  const images = new ImageChecker(fastify.config.images)

  app.post('/v1/ecs/:account/taskdefs', { schema: withPlan(createTaskDefSchema) }, async (request) => {
    const { dryRun, verify } = planQuery(request.query)
    const plan = dryRun || verify ? await planTaskDefinitionCreate(ctx(request), request.body, { verify, images }) : undefined
    if (plan && dryRun) return plan
    if (plan) requirePassingChecks(plan)
    return createTaskDefinition(ctx(request), request.body)
  })

  app.get(base, { schema: listTaskDefsSchema }, async (request) => listTaskDefinitions(ctx(request), request.params.cluster))

  app.get(`${base}/:taskdef`, { schema: showTaskDefSchema }, async (request) =>
    showTaskDefinition(ctx(request), request.params.cluster, request.params.taskdef),
  )

  app.put(`${base}/:taskdef`, { schema: withPlan(updateTaskDefSchema) }, async (request) => {
    const { cluster, taskdef } = request.params
    const { dryRun, verify } = planQuery(request.query)
    const plan = dryRun || verify ? await planTaskDefinitionUpdate(ctx(request), cluster, taskdef, request.body, { verify, images }) : undefined
    if (plan && dryRun) return plan
    if (plan) requirePassingChecks(plan)
    return updateTaskDefinition(ctx(request), cluster, taskdef, request.body)
  })

  app.delete(`${base}/:taskdef`, { schema: deleteTaskDefSchema }, async (request, reply) => {
    const { recursive, force } = request.query
    const { operation, body } = await deleteTaskDefinition(ctx(request), request.params.cluster, request.params.taskdef, {
      recursive: queryBool(recursive),
      force: queryBool(force),
    })
    return replyAccepted(reply, operation, body)
  })
}

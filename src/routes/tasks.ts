import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { taskDefContext } from '../domain/taskdefs/context.js'
import { listTasks } from '../domain/tasks/list-tasks.js'
import { runTask } from '../domain/tasks/run-task.js'
import { showTask } from '../domain/tasks/show-task.js'
import { stopTask } from '../domain/tasks/stop-task.js'
import {
  listTasksSchema,
  runTaskSchema,
  showTaskDefTaskSchema,
  showTaskSchema,
  stopTaskDefTaskSchema,
  stopTaskSchema,
} from '../schemas/tasks.js'
import { contextOf, replyOk } from './request-context.js'

/** One-off tasks of the org's task definitions: run, list, show and stop. */
export async function taskRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const cluster = '/v1/ecs/:account/clusters/:cluster'
  const family = `${cluster}/taskdefs/:taskdef/tasks`
  const ctx = (request: FastifyRequest) => taskDefContext(contextOf(request))

  app.post(family, { schema: runTaskSchema }, async (request) =>
    runTask(ctx(request), request.params.cluster, request.params.taskdef, request.body),
  )

  app.get(family, { schema: listTasksSchema }, async (request) =>
    listTasks(ctx(request), request.params.cluster, request.params.taskdef, request.query),
  )

  app.get(`${cluster}/tasks/:task`, { schema: showTaskSchema }, async (request) =>
    showTask(ctx(request), request.params.cluster, request.params.task),
  )

  app.get(`${family}/:task`, { schema: showTaskDefTaskSchema }, async (request) =>
    showTask(ctx(request), request.params.cluster, request.params.task, request.params.taskdef),
  )

  app.delete(`${cluster}/tasks/:task`, { schema: stopTaskSchema }, async (request, reply) => {
    await stopTask(ctx(request), request.params.cluster, request.params.task, { reason: request.query.reason })
    return replyOk(reply)
  })

  app.delete(`${family}/:task`, { schema: stopTaskDefTaskSchema }, async (request, reply) => {
    const { cluster: name, task, taskdef } = request.params
    await stopTask(ctx(request), name, task, { reason: request.query.reason, taskdef })
    return replyOk(reply)
  })
}

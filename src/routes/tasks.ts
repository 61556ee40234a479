import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { taskDefContext } from '../domain/taskdefs/context.js'
import { listTasks } from '../domain/tasks/list-tasks.js'
import { runTask } from '../domain/tasks/run-task.js'
import { showTask } from '../domain/tasks/show-task.js'
import { stopTask } from '../domain/tasks/stop-task.js'
import { accountOf } from '../http/accounts-plugin.js'
import {
  listTasksSchema,
  runTaskSchema,
  showTaskDefTaskSchema,
  showTaskSchema,
  stopTaskDefTaskSchema,
  stopTaskSchema,
} from '../schemas/tasks.js'

/** The original answered a stop with a bare `OK`; it is sent as the text it is. */
const ok = (reply: FastifyReply) => reply.type('text/plain; charset=utf-8').send('OK')

/** One-off tasks of the org's task definitions: run, list, show and stop. */
export async function taskRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const cluster = '/v1/ecs/:account/clusters/:cluster'
  const family = `${cluster}/taskdefs/:taskdef/tasks`
  const ctx = (request: FastifyRequest) => taskDefContext(accountOf(request), app.config.org)

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
    return ok(reply)
  })

  app.delete(`${family}/:task`, { schema: stopTaskDefTaskSchema }, async (request, reply) => {
    const { cluster: name, task, taskdef } = request.params
    await stopTask(ctx(request), name, task, { reason: request.query.reason, taskdef })
    return ok(reply)
  })
}

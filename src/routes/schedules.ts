import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { scheduleContext } from '../domain/schedules/context.js'
import { createSchedule } from '../domain/schedules/create-schedule.js'
import { deleteSchedule } from '../domain/schedules/delete-schedule.js'
import { listSchedules } from '../domain/schedules/list-schedules.js'
import { showSchedule } from '../domain/schedules/show-schedule.js'
import { updateSchedule } from '../domain/schedules/update-schedule.js'
import {
  createScheduleSchema,
  deleteScheduleSchema,
  listSchedulesSchema,
  showScheduleSchema,
  updateScheduleSchema,
} from '../schemas/schedules.js'
import { contextOf } from './request-context.js'

/** Scheduled tasks of the org's task definitions: create, list, show, replace and delete. */
export async function scheduleRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const base = '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef/schedules'
  const ctx = (request: FastifyRequest) => scheduleContext(contextOf(request))

  app.post(base, { schema: createScheduleSchema }, async (request, reply) => {
    const { cluster, taskdef } = request.params
    const created = await createSchedule(ctx(request), cluster, taskdef, request.body)
    return reply.code(201).header('location', `${request.url.split('?')[0] ?? ''}/${encodeURIComponent(created.Name)}`).send(created)
  })

  app.get(base, { schema: listSchedulesSchema }, async (request) =>
    listSchedules(ctx(request), request.params.cluster, request.params.taskdef),
  )

  app.get(`${base}/:name`, { schema: showScheduleSchema }, async (request) =>
    showSchedule(ctx(request), request.params.cluster, request.params.taskdef, request.params.name),
  )

  app.put(`${base}/:name`, { schema: updateScheduleSchema }, async (request) => {
    const { cluster, taskdef, name } = request.params
    return updateSchedule(ctx(request), cluster, taskdef, name, request.body)
  })

  app.delete(`${base}/:name`, { schema: deleteScheduleSchema }, async (request, reply) => {
    const { cluster, taskdef, name } = request.params
    await deleteSchedule(ctx(request), cluster, taskdef, name)
    return reply.code(204).send(null)
  })
}

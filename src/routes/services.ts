import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { serviceContext } from '../domain/services/context.js'
import { createService } from '../domain/services/create-service.js'
import { deleteService } from '../domain/services/delete-service.js'
import { listServices } from '../domain/services/list-services.js'
import { serviceEvents } from '../domain/services/service-events.js'
import { logEventJson, SERVICE_LOGS_HEAD, serviceLogsTail } from '../codec/log-events.js'
import { jsonArrayBody, jsonChunksBody } from '../http/json-array-body.js'
import { serviceLogs } from '../domain/services/service-logs.js'
import { logsContext } from '../domain/logs/context.js'
import { isMergedQuery } from '../core/logs/merged-query.js'
import { planServiceLogs } from '../domain/logs/service-merged-logs.js'
import { replyMergedLogs } from './logs.js'
import { showService } from '../domain/services/show-service.js'
import { updateService } from '../domain/services/update-service.js'
import { replyAccepted } from '../operations/index.js'
import {
  createServiceSchema,
  deleteServiceSchema,
  listServicesSchema,
  queryBool,
  serviceEventsSchema,
  serviceLogsSchema,
  showServiceSchema,
  updateServiceSchema,
} from '../schemas/services.js'
import { withPlan } from '../schemas/plans.js'
import { ImageChecker } from '../domain/images/check-image.js'
import { planServiceCreate } from '../domain/plan/plan-service-create.js'
import { planServiceUpdate } from '../domain/plan/plan-service-update.js'
import { requirePassingChecks } from '../domain/plan/preflight.js'
import { contextOf, planQuery } from './request-context.js'
import { trackCreate, trackUpdate } from '../domain/deployments/track-change.js'
import { answerWithDeployment, deploymentContextOf, waitOf } from './deployment-answer.js'

/** ECS services of the org: create, list, show, update, delete, events and logs. */
export async function serviceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const base = '/v1/ecs/:account/clusters/:cluster/services'
  const ctx = (request: FastifyRequest) => serviceContext(contextOf(request))
  // Dry runs and verify check images; one checker per route group shares its registry token cache.
  const images = new ImageChecker(fastify.config.images)

  // Creates and updates are deployments: the answer carries X-Deployment-Id and Location, and waits when
  // asked. A dry run answers its plan and starts nothing; verify refuses a failing body before any write.
  app.post('/v1/ecs/:account/services', { schema: withPlan(createServiceSchema) }, async (request, reply) => {
    const { dryRun, verify } = planQuery(request.query)
    const wait = waitOf(request)
    const plan = dryRun || verify ? await planServiceCreate(ctx(request), request.body, { verify, images }) : undefined
    if (plan && dryRun) return plan
    if (plan) requirePassingChecks(plan)
    const body = await createService(ctx(request), request.body)
    return answerWithDeployment(request, reply, body, wait, () => trackCreate(deploymentContextOf(request), body))
  })

  app.get(base, { schema: listServicesSchema }, async (request) =>
    listServices(ctx(request), request.params.cluster, queryBool(request.query.all)),
  )

  app.get(`${base}/:service`, { schema: showServiceSchema }, async (request) =>
    showService(ctx(request), request.params.cluster, request.params.service, queryBool(request.query.all)),
  )

  app.put(`${base}/:service`, { schema: withPlan(updateServiceSchema) }, async (request, reply) => {
    const { cluster, service } = request.params
    const { dryRun, verify } = planQuery(request.query)
    const wait = waitOf(request)
    const plan = dryRun || verify ? await planServiceUpdate(ctx(request), cluster, service, request.body, { verify, images }) : undefined
    if (plan && dryRun) return plan
    if (plan) requirePassingChecks(plan)
    const body = await updateService(ctx(request), cluster, service, request.body)
    return answerWithDeployment(request, reply, body, wait, () => trackUpdate(deploymentContextOf(request), cluster, request.body, body))
  })

  app.delete(`${base}/:service`, { schema: deleteServiceSchema }, async (request, reply) => {
    const { params, query } = request
    const { body, operation } = await deleteService(ctx(request), params.cluster, params.service, queryBool(query.recursive))
    return operation ? replyAccepted(reply, operation, body) : body
  })

  app.get(`${base}/:service/events`, { schema: serviceEventsSchema }, async (request) =>
    serviceEvents(ctx(request), request.params.cluster, request.params.service),
  )

  app.get(`${base}/:service/logs`, { schema: serviceLogsSchema }, async (request, reply) => {
    if (isMergedQuery(request.query)) {
      const logs = logsContext(contextOf(request))
      const { cluster, service } = request.params
      return replyMergedLogs(request, reply, request.query.follow, logs, (lastEventId) => planServiceLogs(logs, cluster, service, request.query, lastEventId))
    }
    const logs = await serviceLogs(ctx(request), request.params.cluster, request.params.service, request.query)
    // Up to 10,000 events: streamed as JSON text made chunk by chunk as the socket takes it (the
    // same bytes the schema's serializer would write); every AWS call was made before the first byte.
    const body =
      'text' in logs
        ? jsonChunksBody(SERVICE_LOGS_HEAD, logs.text.chunks, (i) => logs.text.chunk(i), serviceLogsTail(logs))
        : jsonArrayBody(SERVICE_LOGS_HEAD, logs.events, logEventJson, serviceLogsTail(logs))
    return reply.type('application/json; charset=utf-8').send(body)
  })
}

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { abortDeployment } from '../domain/deployments/abort-deployment.js'
import { followDeployment, listDeployments, showDeployment } from '../domain/deployments/read-deployments.js'
import { rollbackService } from '../domain/deployments/rollback-service.js'
import { deploymentJson, timelineEntryJson, type Deployment } from '../domain/deployments/view.js'
import { openEventStream, StreamSlots, wantsEventStream } from '../http/event-stream.js'
import {
  abortDeploymentSchema,
  listDeploymentsSchema,
  rollbackServiceSchema,
  showDeploymentSchema,
} from '../schemas/deployments.js'
import { deploymentContextOf, replyStarted, waitOf, withDeployment } from './deployment-answer.js'

/** Open deployment streams per process: each polls the store, not ECS, but holds a connection. */
const MAX_STREAMS = 500

/** A service's deployments: history, one with its timeline (or its stream), rollback and abort. */
export async function deploymentRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const base = '/v1/ecs/:account/clusters/:cluster/services/:service'
  const slots = new StreamSlots(MAX_STREAMS, 'deployment streams')

  app.get(`${base}/deployments`, { schema: listDeploymentsSchema }, async (request) => {
    const { cluster, service } = request.params
    return listDeployments(deploymentContextOf(request), cluster, service)
  })

  app.get(`${base}/deployments/:id`, { schema: showDeploymentSchema }, async (request, reply) => {
    const { cluster, service, id } = request.params
    const ctx = deploymentContextOf(request)
    const deployment = await showDeployment(ctx, cluster, service, id)
    if (!wantsEventStream(request)) return deploymentJson(deployment, { timeline: true })

    const stream = openEventStream(request, reply, { slots })
    const after = Number(stream.lastEventId ?? 0)
    let sent = Number.isFinite(after) ? after : 0
    const flush = (d: Deployment): void => {
      for (const entry of d.progress.timeline) {
        if (entry.seq <= sent) continue
        stream.send({ id: String(entry.seq), event: entry.type, data: timelineEntryJson(entry) })
        sent = entry.seq
      }
    }
    flush(deployment)
    void followDeployment(ctx, deployment, { signal: stream.signal, onChange: flush })
      .then((last) => {
        if (!stream.signal.aborted) stream.end(deploymentJson(last))
      })
      .catch((err: unknown) => {
        request.log.warn({ err: { message: (err as Error).message } }, 'deployment stream ended early')
        stream.end({})
      })
    return reply
  })

  app.post(
    `${base}/rollback`,
    {
      schema: rollbackServiceSchema,
      // The body is optional: none is the same as `{}`.
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request, reply) => {
    const { cluster, service } = request.params
    const wait = waitOf(request)
      const started = await rollbackService(deploymentContextOf(request), cluster, service, request.body)
      const last = await withDeployment(request, reply, started, wait)
      return replyStarted(reply, last)
    },
  )

  app.post(`${base}/deployments/:id/abort`, { schema: abortDeploymentSchema }, async (request, reply) => {
    const { cluster, service, id } = request.params
    const wait = waitOf(request)
    const started = await abortDeployment(deploymentContextOf(request), cluster, service, id)
    const last = await withDeployment(request, reply, started, wait)
    return replyStarted(reply, last)
  })
}

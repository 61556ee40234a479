import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { fieldError } from '../core/errors.js'
import { logsContext, type LogsContext } from '../domain/logs/context.js'
import { checkFollowPattern, followLogs, MERGED_LOGS_HEAD, mergedEventJson, mergedLogsTail, readLogsPage, type LogsPlan } from '../domain/logs/logs-plan.js'
import { planTaskLogs } from '../domain/logs/task-logs.js'
import { jsonArrayBody } from '../http/json-array-body.js'
import { openEventStream, StreamSlots, wantsEventStream, type EventStream } from '../http/event-stream.js'
import { diagnoseService } from '../domain/diagnosis/diagnose-service.js'
import { trackedDeployment } from '../domain/diagnosis/tracked-deployment.js'
import { diagnosisSchema, taskLogsSchema } from '../schemas/logs.js'
import { queryBool } from '../schemas/services.js'
import { contextOf } from './request-context.js'

/** The follows of one app (one process): a pool of slots shared by every logs route, and the open streams. */
interface Follows {
  slots: StreamSlots
  open: Set<EventStream>
}
const followsByConfig = new WeakMap<object, Follows>()

function followsOf(server: FastifyInstance): Follows {
  const { config } = server
  let follows = followsByConfig.get(config)
  if (!follows) {
    follows = { slots: new StreamSlots(config.logs.maxFollows, 'log follows'), open: new Set() }
    followsByConfig.set(config, follows)
  }
  return follows
}

/**
 * Answers a merged logs request: one page as JSON, or with `follow=true` server-sent events, one
 * `log` event per line until the client goes away (or every task stopped and all was sent). What can
 * still fail with a problem answer (the query, the org checks, a full slot pool) fails before the
 * stream opens.
 */
export async function replyMergedLogs(
  request: FastifyRequest,
  reply: FastifyReply,
  followValue: string | undefined,
  ctx: LogsContext,
  plan: (lastEventId: string | undefined) => Promise<LogsPlan>,
): Promise<FastifyReply> {
  const follow = queryBool(followValue)
  if (!follow) {
    const page = await readLogsPage(ctx.filter, await plan(undefined))
    // Streamed as JSON text, like the single-stream form (the route's documented 200 is a union of
    // both): every AWS call of the page was made before the first byte, events are mapped as written.
    return reply.type('application/json; charset=utf-8').send(jsonArrayBody(MERGED_LOGS_HEAD, page.events, mergedEventJson, mergedLogsTail(page)))
  }
  if (!wantsEventStream(request)) throw fieldError('follow', 'follow=true streams server-sent events: send Accept: text/event-stream')
  const { slots, open } = followsOf(request.server)
  // Refused before any AWS call when the pool is full; openEventStream takes the slot for real.
  slots.acquire()()
  const given = request.headers['last-event-id']
  const followed = await plan(typeof given === 'string' && given !== '' ? given : undefined)
  await checkFollowPattern(ctx.filter, followed)
  const { logs } = request.server.config
  const stream = openEventStream(request, reply, { slots, heartbeatMs: logs.followHeartbeatMs })
  // The client left while the follow was being planned: the stream is already over, nothing to follow.
  if (stream.signal.aborted) return reply
  open.add(stream)
  stream.signal.addEventListener('abort', () => open.delete(stream))
  followLogs(ctx.filter, followed, {
    signal: stream.signal,
    emit: (event) => {
      const data = mergedEventJson(event)
      return stream.send({ id: data.Id, event: 'log', data })
    },
    pollMinMs: logs.followPollMinMs,
    pollMaxMs: logs.followPollMaxMs,
  }).then(
    () => stream.end({ Reason: 'finished' }),
    (err: unknown) => {
      if (stream.signal.aborted) return
      request.log.warn({ err }, 'log follow stopped by an error')
      stream.end({ Reason: 'error', Detail: err instanceof Error ? err.message : String(err) })
    },
  )
  return reply
}

/** Logs of one task of the org (every container, merged), follows of them, and a service's diagnosis. */
export async function logRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  // A closing server would wait for every follow's client to leave: each is ended instead.
  fastify.addHook('preClose', async () => {
    for (const stream of followsOf(fastify).open) stream.end({ Reason: 'server shutting down' })
  })

  app.get('/v1/ecs/:account/clusters/:cluster/tasks/:task/logs', { schema: taskLogsSchema }, async (request, reply) => {
    const ctx = logsContext(contextOf(request))
    const { cluster, task } = request.params
    return replyMergedLogs(request, reply, request.query.follow, ctx, (lastEventId) => planTaskLogs(ctx, cluster, task, request.query, lastEventId))
  })

  app.get('/v1/ecs/:account/clusters/:cluster/services/:service/diagnosis', { schema: diagnosisSchema }, async (request) => {
    const ctx = logsContext(contextOf(request))
    const { cluster, service } = request.params
    return diagnoseService(ctx, cluster, service, request.query, trackedDeployment(ctx, cluster, service))
  })
}

import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { versionInfo } from '../observability/version.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Named checks `/readyz` runs; each throws when its dependency is not usable. */
    readinessChecks: Map<string, () => Promise<void>>
    /** Set when shutdown starts, so load balancers stop sending traffic before the listener closes. */
    draining: boolean
  }
}

const VersionSchema = Type.Object({ version: Type.String(), githash: Type.String(), buildstamp: Type.String() })
const HealthSchema = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) })

/** Public routes: liveness, readiness, version, metrics, and the OpenAPI document. */
export async function systemRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['system']

  app.get('/v1/ecs/ping', { schema: { tags, response: { 200: Type.String() } } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send('pong'),
  )

  app.get('/v1/ecs/version', { schema: { tags, response: { 200: VersionSchema } } }, async () => versionInfo())

  app.get('/v1/ecs/metrics', { schema: { tags, hide: false } }, async (_req, reply) => {
    const body = await app.metrics.registry.metrics()
    return reply.type(app.metrics.registry.contentType).send(body)
  })

  app.get('/v1/ecs/livez', { schema: { tags, response: { 200: HealthSchema } } }, async () => ({ status: 'ok' }))

  app.get('/v1/ecs/readyz', { schema: { tags, response: { 200: HealthSchema, 503: HealthSchema } } }, async (_req, reply) => {
    if (app.draining) return reply.status(503).send({ status: 'draining' })
    const checks: Record<string, string> = {}
    let ready = true
    await Promise.all(
      [...app.readinessChecks].map(async ([name, check]) => {
        try {
          await check()
          checks[name] = 'ok'
        } catch (err) {
          ready = false
          checks[name] = (err as Error).message
        }
      }),
    )
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks })
  })

  app.get('/v1/ecs/openapi.json', { schema: { tags } }, async () => app.swagger())
}

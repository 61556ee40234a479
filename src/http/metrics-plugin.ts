import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Metrics } from '../observability/metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

/** HTTP metrics labelled by route template (never the raw path, which would explode cardinality). */
export const metricsPlugin = fp(
  (app: FastifyInstance, options: { metrics: Metrics }) => {
    app.decorate('metrics', options.metrics)
    app.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status_code: String(reply.statusCode),
      }
      options.metrics.httpRequests.inc(labels)
      options.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000)
      request.log.info(
        { method: request.method, url: request.url.split('?', 1)[0], statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request completed',
      )
    })
  },
  { name: 'metrics' },
)

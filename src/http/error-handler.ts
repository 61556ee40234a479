import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { toProblem } from './problem.js'

/** Every error, ours or Fastify's, leaves as problem+json; 5xx are logged with the request id as log id. */
export const errorHandlerPlugin = fp(
  (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => {
      const { problem, retryAfter, internal } = toProblem(err, request.id)
      if (internal) request.log.error({ err }, 'request failed')
      else if (problem.status >= 500) request.log.warn({ err: { message: (err as Error).message } }, 'upstream failure')
      // AWS refusing this service's own credentials or permissions is an operator's matter, not the caller's.
      else if (problem.status === 403 && problem.awsCode !== undefined) {
        request.log.warn({ awsCode: problem.awsCode, detail: problem.detail }, 'AWS refused the request')
      }
      else request.log.info({ status: problem.status, code: problem.code, detail: problem.detail }, 'request rejected')
      if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter))
      return reply.status(problem.status).type('application/problem+json').send(problem)
    })
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]
      const { problem } = toProblem({ statusCode: 404, message: `no route ${request.method} ${path}` }, request.id)
      return reply.status(404).type('application/problem+json').send(problem)
    })
  },
  { name: 'error-handler' },
)

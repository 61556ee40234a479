import type { FastifyInstance } from 'fastify'

/** Methods whose requests normally carry no body. */
const bodiless = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS'])

/**
 * Some clients send `Content-Type: application/json` on every request, DELETE included, with no
 * body. Fastify refuses an empty JSON body outright; for methods that carry no body we treat it as
 * absent. POST and PUT keep the 400, since their routes need a body. Everything else goes through
 * Fastify's own parser (which guards against prototype poisoning).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && bodiless.has(request.method)) {
      done(null, undefined)
      return
    }
    void parseJson(request, body.toString(), done)
  })
}

import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { InputError } from '../core/errors.js'

/**
 * Ajv's type coercion reads a query or path value such as `1e400` or `Infinity` as a non-finite
 * number and then skips the bounds of the schema (`minimum`, `maximum`) for it, so `?limit=1e400`
 * passes a schema of 1 to 100 and reaches the handler as `Infinity`. After validation, a non-finite
 * number in the query or the path is a 400 naming the parameter, as a failed bound would be.
 */
export const finiteNumbersPlugin = fp(
  (app: FastifyInstance) => {
    app.addHook('preHandler', async (request: FastifyRequest) => {
      refuseNonFinite(request.query, 'querystring')
      refuseNonFinite(request.params, 'params')
    })
  },
  { name: 'finite-numbers' },
)

function refuseNonFinite(values: unknown, where: string): void {
  if (typeof values !== 'object' || values === null) return
  for (const [name, value] of Object.entries(values)) {
    const items: unknown[] = Array.isArray(value) ? value : [value]
    if (items.some((item) => typeof item === 'number' && !Number.isFinite(item))) {
      throw new InputError(`${where}/${name} must be a finite number`, { details: { path: `${where}/${name}` } })
    }
  }
}

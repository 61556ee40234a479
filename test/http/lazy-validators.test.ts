/**
 * Request validators compiled on first use answer exactly as the ones Fastify compiles at start-up:
 * the same requests to two Fastify instances, one with the hook and one without, get the same
 * answers (coercion of a whole body, query arrays, header names in any case, Ajv's messages); and
 * nothing is compiled before a route's first request.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { compileValidatorsOnFirstUse } from '../../src/http/lazy-validators.js'

const customOptions = { removeAdditional: false, coerceTypes: 'array', allErrors: false } as const

async function appWith(onCreate?: typeof compileValidatorsOnFirstUse, compiled?: { count: number }): Promise<FastifyInstance> {
  const app = Fastify({
    ajv: {
      customOptions,
      onCreate: (ajv) => {
        if (compiled) {
          const compile = ajv.compile.bind(ajv)
          ;(ajv as unknown as { compile: (schema: unknown) => unknown }).compile = (schema: unknown) => {
            compiled.count++
            return compile(schema as Parameters<typeof compile>[0])
          }
        }
        onCreate?.(ajv)
      },
    },
  })
  app.post('/numbers', { schema: { body: Type.Array(Type.Integer()) } }, async (req) => ({ body: req.body }))
  app.get(
    '/items/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ tag: Type.Optional(Type.Array(Type.String())), limit: Type.Optional(Type.Integer({ maximum: 10 })) }),
        headers: Type.Object({ 'X-Trace': Type.String({ minLength: 3 }) }),
      },
    },
    async (req) => ({ params: req.params, query: req.query }),
  )
  await app.ready()
  return app
}

const requests = [
  { method: 'POST', url: '/numbers', payload: '5', headers: { 'content-type': 'application/json' } },
  { method: 'POST', url: '/numbers', payload: '["1", 2]', headers: { 'content-type': 'application/json' } },
  { method: 'POST', url: '/numbers', payload: '["x"]', headers: { 'content-type': 'application/json' } },
  { method: 'GET', url: '/items/7?tag=a&limit=3', headers: { 'x-trace': 'abcd' } },
  { method: 'GET', url: '/items/7?tag=a&tag=b', headers: { 'X-TRACE': 'abcd' } },
  { method: 'GET', url: '/items/0', headers: { 'x-trace': 'abcd' } },
  { method: 'GET', url: '/items/7?limit=11', headers: { 'x-trace': 'abcd' } },
  { method: 'GET', url: '/items/7', headers: { 'x-trace': 'a' } },
  { method: 'GET', url: '/items/7' },
] as const

describe('request validators compiled on first use', () => {
  it('answers every request exactly as validators compiled at start-up do', async () => {
    const eager = await appWith()
    const lazy = await appWith(compileValidatorsOnFirstUse)
    try {
      for (const request of requests) {
        const [a, b] = [await eager.inject(request), await lazy.inject(request)]
        expect({ status: b.statusCode, body: b.json<unknown>() }, `${request.method} ${request.url}`).toEqual({ status: a.statusCode, body: a.json<unknown>() })
      }
    } finally {
      await Promise.all([eager.close(), lazy.close()])
    }
  })

  it('compiles a route’s validators on its first request, once', async () => {
    const compiled = { count: 0 }
    const app = await appWith(compileValidatorsOnFirstUse, compiled)
    try {
      expect(compiled.count).toBe(0)
      expect((await app.inject(requests[0])).statusCode).toBe(200)
      expect(compiled.count).toBe(1)
      await app.inject(requests[1])
      expect(compiled.count).toBe(1)
      expect((await app.inject(requests[3])).statusCode).toBe(200)
      // params, querystring and headers of the second route
      expect(compiled.count).toBe(4)
    } finally {
      await app.close()
    }
  })
})

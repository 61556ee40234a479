import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Serializer = (doc: unknown) => string

/**
 * Response serializers compiled on the first answer of each route and status code instead of at
 * start-up: fast-json-stringify generates code for every response schema of every route (about
 * 3 MiB of heap for ours), while a process answers only some of them. Each serializer is the one
 * Fastify builds by default (same factory, same schemas, same options); only the moment it is
 * compiled moves. Request validators are compiled on first use too, inside Fastify's own Ajv
 * (lazy-validators.ts): a custom validator factory would change how Fastify treats header schemas.
 */
export const lazySerializers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildSerializer: (externalSchemas, options) => {
      const compile = SerializerSelector()(externalSchemas, options)
      return (route) => {
        let serialize: Serializer | undefined
        return (doc: unknown) => (serialize ??= compile(route))(doc)
      }
    },
  },
}

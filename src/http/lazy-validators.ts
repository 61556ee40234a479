import type { FastifyServerOptions } from 'fastify'

type OnCreate = NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>

/** The part of an Ajv validate function that Fastify uses. */
interface Validate {
  (data: unknown, dataContext?: unknown): unknown
  errors?: unknown
  schemaEnv?: unknown
}

/**
 * Request validators compiled on the first request of each route instead of at start-up: Ajv
 * generates and compiles code for every params, querystring, body and header schema of every route
 * (about 60 routes, some with large SDK-derived bodies), while a process answers only some of them.
 *
 * Installed as the `onCreate` hook of Fastify's own Ajv instance, so everything else stays as
 * Fastify does it (the same Ajv and options, header names lower-cased, the same error objects and
 * messages); only the moment `ajv.compile` runs moves. The stand-in reads like Ajv's function to
 * Fastify: `errors` after each call, and a `schemaEnv`, whose presence makes Fastify pass the
 * parent data so type coercion can replace a whole request part, exactly as before. A schema with
 * an `$id` is still compiled at once: Fastify looks such schemas up in Ajv by id before compiling
 * them again.
 */
export const compileValidatorsOnFirstUse: OnCreate = (ajv) => {
  const target = ajv as unknown as { compile: (schema: unknown) => Validate }
  const compileNow = target.compile.bind(ajv)
  target.compile = (schema) => {
    if (typeof schema === 'object' && schema !== null && '$id' in schema) return compileNow(schema)
    let compiled: Validate | undefined
    const validate = (): Validate => (compiled ??= compileNow(schema))
    const onFirstUse: Validate = (...args: [unknown, unknown?]) => {
      const actual = validate()
      const result = actual(...args)
      onFirstUse.errors = actual.errors
      return result
    }
    Object.defineProperty(onFirstUse, 'schemaEnv', { get: () => validate().schemaEnv })
    return onFirstUse
  }
}

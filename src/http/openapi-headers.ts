/**
 * Documents a cross-cutting plugin's headers on the routes it applies to, from its `onRoute` hook:
 * request headers join the route's header schema (strings, checked by the plugin itself, so the
 * validator adds no rule of its own), response headers join its 2xx answers, and problem answers
 * are added for the statuses the plugin may answer. The OpenAPI document reads the route options
 * after every route is registered, so it sees them.
 */
import type { RouteOptions } from 'fastify'
import Type, { type TSchema } from 'typebox'

export interface HeaderDocs {
  request?: Record<string, string>
  response?: Record<string, string>
  /** Problem answers the plugin may give. */
  problems?: number[]
  /** Other answers without a body (304). */
  empty?: Record<number, string>
}

type Schema = Record<string, unknown>

/** Whether the route answers `method`. */
export function routeHasMethod(route: RouteOptions, method: string): boolean {
  return Array.isArray(route.method) ? route.method.includes(method) : route.method === method
}

export function documentHeaders(route: RouteOptions, docs: HeaderDocs): void {
  const schema = { ...((route.schema ?? {}) as Schema) }
  if (docs.request) {
    const current = schema.headers as { properties?: Record<string, unknown> } | undefined
    const added = Object.fromEntries(
      Object.entries(docs.request).map(([name, description]) => [name.toLowerCase(), Type.Optional(Type.String({ description }))]),
    )
    schema.headers = current ? { ...current, properties: { ...current.properties, ...added } } : Type.Object(added)
  }
  const responses = { ...((schema.response ?? {}) as Record<string, Schema>) }
  if (docs.response) {
    const headers = Object.fromEntries(Object.entries(docs.response).map(([name, description]) => [name, Type.String({ description })]))
    for (const [status, answer] of Object.entries(responses)) {
      if (!/^2\d\d$/.test(status) || typeof answer !== 'object' || '$ref' in answer) continue
      responses[status] = { ...answer, headers: { ...(answer.headers as Schema | undefined), ...headers } }
    }
  }
  for (const status of docs.problems ?? []) responses[String(status)] ??= Type.Ref('Problem') as unknown as Schema
  for (const [status, description] of Object.entries(docs.empty ?? {})) responses[status] ??= { description, type: 'null' } as TSchema as Schema
  if (Object.keys(responses).length > 0) schema.response = responses
  route.schema = schema
}

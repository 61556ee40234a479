/**
 * Conditional requests (RFC 9110) on the single resources clients edit: a service, a task
 * definition, a secret's metadata, a parameter. Their GET answers carry an `ETag` (a hash of the
 * answer's bytes, so it changes whenever what is shown changes) and a matching `If-None-Match` is
 * a 304. A PUT or DELETE with `If-Match` first reads the resource as its plain GET would (same path,
 * no query, the caller's credentials) and goes on only when the tag still matches; otherwise 412
 * with the current tag, and nothing is changed. Without `If-Match` nothing is checked, as before.
 *
 * AWS offers no compare-and-set on these resources, so the check and the change are two steps:
 * it catches the lost update of a client that edited a stale copy, not two writes racing within
 * milliseconds.
 *
 * A route opts in with `config: { entityTag: true }` besides the ones listed here.
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { fieldError, PreconditionFailedError } from '../core/errors.js'
import { entityTagOf, parseTagList, strongMatch, weakMatch } from './entity-tags.js'
import { documentHeaders, routeHasMethod } from './openapi-headers.js'
import { toProblem } from './problem.js'

const TAGGED_ROUTES = new Set([
  '/v1/ecs/:account/clusters/:cluster/services/:service',
  '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef',
  '/v1/ecs/:account/secrets/:secret',
  '/v1/ecs/:account/params/:prefix/:param',
])

/** Headers the internal read of the current tag passes on: the caller's credentials only. */
const CREDENTIAL_HEADERS = ['authorization', 'x-auth-token']

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: GET answers carry an ETag, and PUT/DELETE at the same path honour If-Match. */
    entityTag?: boolean
  }
  interface FastifyInstance {
    /** Marks the service's own reads of a current tag (the rate limit does not count them). */
    internalRequestMark: { header: string; value: string }
  }
}

function tagged(request: FastifyRequest): boolean {
  const url = request.routeOptions.url
  return request.routeOptions.config.entityTag === true || (url !== undefined && TAGGED_ROUTES.has(url))
}

function single(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

export const conditionalRequestsPlugin = fp(
  (app: FastifyInstance) => {
    const mark = { header: 'x-ecs-api-internal', value: randomUUID() }
    app.decorate('internalRequestMark', mark)
    app.addHook('onRoute', (route) => {
      const optedIn = (route.config)?.entityTag === true
      if (!optedIn && !TAGGED_ROUTES.has(route.url)) return
      if (routeHasMethod(route, 'GET')) {
        documentHeaders(route, {
          request: { 'If-None-Match': 'entity tags of a copy the client holds: 304 without a body while it is current' },
          response: { ETag: 'a strong entity tag of this answer; it changes whenever the answer does' },
          empty: { 304: 'not modified: the copy with the If-None-Match tag is current' },
        })
      } else if (routeHasMethod(route, 'PUT') || routeHasMethod(route, 'DELETE')) {
        documentHeaders(route, {
          request: {
            'If-Match': 'the ETag of the GET at this path (without query): the change is made only while it is current, else 412 with the current ETag and nothing changed; * or a list of quoted tags',
          },
          problems: [412],
        })
      }
    })

    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' || reply.statusCode !== 200 || !tagged(request)) return payload
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
      const tag = entityTagOf(payload)
      void reply.header('ETag', tag)
      const ifNoneMatch = single(request, 'if-none-match')
      const list = ifNoneMatch === undefined ? undefined : parseTagList(ifNoneMatch)
      if (list && weakMatch(list, tag)) {
        void reply.code(304).removeHeader('content-type').removeHeader('content-length')
        return ''
      }
      return payload
    })

    app.addHook('preHandler', async (request, reply) => {
      if ((request.method !== 'PUT' && request.method !== 'DELETE') || !tagged(request)) return
      const header = single(request, 'if-match')
      if (header === undefined) return
      const wanted = parseTagList(header)
      if (!wanted) throw fieldError('If-Match', 'If-Match must be * or a list of quoted entity tags, as ETag answers them')
      const headers: Record<string, string> = { [mark.header]: mark.value }
      for (const name of CREDENTIAL_HEADERS) {
        const v = single(request, name)
        if (v !== undefined) headers[name] = v
      }
      const current = await app.inject({ method: 'GET', url: request.url.split('?', 1)[0]!, headers })
      // Not there (or not the org's): the handler answers that itself, as without If-Match.
      if (current.statusCode === 404) return undefined
      if (current.statusCode !== 200) {
        return reply.code(current.statusCode).type(String(current.headers['content-type'] ?? 'application/problem+json')).send(current.rawPayload)
      }
      const tag = String(current.headers.etag)
      if (strongMatch(wanted, tag)) return undefined
      const { problem } = toProblem(
        new PreconditionFailedError(`If-Match does not match the current entity tag ${tag}: it changed since it was read; nothing was changed`, {
          details: { field: 'If-Match', currentETag: tag },
        }),
        request.id,
      )
      request.log.info({ status: 412 }, 'request rejected: stale If-Match')
      return reply.code(412).type('application/problem+json').header('ETag', tag).send(problem)
    })
  },
  { name: 'conditional-requests', dependencies: ['auth'] },
)

/**
 * Paging for the list routes that answer a JSON array: with `limit` or `next` the array is cut to
 * one page (see paging.ts) after the use case made it; without them the whole list is answered, as
 * before. Lists are read whole from AWS anyway (they are filtered by the org's tags), so an offset
 * into the list is a stable place to go on from while the list itself does not change.
 *
 * A list route opts in with `config: { paged: true }` besides the ones listed here; its querystring
 * schema gains `limit` and `next` (documented in OpenAPI).
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'
import { documentHeaders } from './openapi-headers.js'
import { pagingQueryProperties } from '../schemas/paging.js'
import { pageOfList, pageRequestOf, type PageRequest } from './paging.js'

const PAGED_LISTS = new Set([
  '/v1/ecs/:account/clusters/:cluster/services',
  '/v1/ecs/:account/clusters/:cluster/taskdefs',
  '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef/tasks',
  '/v1/ecs/:account/secrets',
  '/v1/ecs/:account/params/:prefix',
  '/v1/ecs/:account/spaces',
  '/v1/ecs/:account/clusters/:cluster/services/:service/deployments',
  '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef/schedules',
])

/** The page headers, as every paged list documents them. */
export const PAGE_HEADER_DOCS = {
  response: {
    'X-Items': 'items in this page (with limit or next)',
    'X-Per-Page': 'the page size (with limit or next)',
    'X-Next-Token': 'the next page\'s token (next=...), when more follows',
    Link: 'RFC 8288: <the next page>; rel="next", when more follows',
  },
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: a GET answering a JSON array is paged with `limit` and `next`. */
    paged?: boolean
  }
  interface FastifyRequest {
    /** The page a paged list was asked for. */
    page: PageRequest | undefined
  }
}

function isPagedList(method: string | string[], url: string, config: { paged?: boolean } | undefined): boolean {
  const get = Array.isArray(method) ? method.includes('GET') : method === 'GET'
  return get && (config?.paged === true || PAGED_LISTS.has(url))
}

/** The route's querystring schema with `limit` and `next` added (a copy: schemas are shared). */
function withPagingQuery(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as Record<string, unknown>
  const query = schema.querystring as { properties?: Record<string, unknown> } | undefined
  const querystring = query ? { ...query, properties: { ...query.properties, ...pagingQueryProperties } } : Type.Object(pagingQueryProperties)
  route.schema = { ...schema, querystring }
}

export const pagedListsPlugin = fp(
  (app: FastifyInstance) => {
    app.decorateRequest('page', undefined)
    app.addHook('onRoute', (route) => {
      if (isPagedList(route.method, route.url, route.config)) {
        withPagingQuery(route)
        documentHeaders(route, PAGE_HEADER_DOCS)
        route.config = { ...(route.config as object), paged: true }
      }
    })
    const paged = (request: FastifyRequest): boolean => request.routeOptions.config.paged === true

    app.addHook('preHandler', async (request) => {
      if (!paged(request)) return
      request.page = pageRequestOf(request)
      // Not filters of the list (the secrets list takes any other parameter as a tag filter).
      const query = request.query as Record<string, unknown>
      delete query.limit
      delete query.next
    })

    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      const page = request.page
      if (!page || reply.statusCode !== 200 || !Array.isArray(payload)) return payload
      return pageOfList(request, reply, page, payload as unknown[])
    })
  },
  { name: 'paged-lists' },
)

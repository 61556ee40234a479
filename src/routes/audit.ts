import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { parseTimeRange } from '../core/time-range.js'
import { accountOf } from '../http/accounts-plugin.js'
import { nextTokenOf, pageRequestOf, setPageHeaders } from '../http/paging.js'
import { ListAuditSchema } from '../schemas/audit.js'

const DEFAULT_AUDIT_PAGE = 100

/** `GET /v1/ecs/{account}/audit`: the changes made in the account, newest first, one page at a time. */
export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/audit', { schema: ListAuditSchema }, async (request, reply) => {
    const { space, target, since, until } = request.query
    const range = parseTimeRange({ since, until })
    const page = pageRequestOf(request, DEFAULT_AUDIT_PAGE, true)
    const found = await app.auditTrail.list({
      account: accountOf(request).name,
      limit: page.limit,
      ...(space !== undefined && space !== '' ? { space } : {}),
      ...(target !== undefined && target !== '' ? { target: target.replace(/^\/+|\/+$/g, '') } : {}),
      ...(range.since ? { sinceMs: range.since.getTime() } : {}),
      ...(range.until ? { untilMs: range.until.getTime() } : {}),
      ...(page.cursor !== undefined ? { before: page.cursor } : {}),
    })
    const next = found.nextCursor === undefined ? undefined : nextTokenOf(page, { cursor: found.nextCursor })
    setPageHeaders(request, reply, page, found.records.length, next)
    return found.records
  })
}

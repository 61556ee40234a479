import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../core/errors.js'
import { accountOf } from '../http/accounts-plugin.js'
import { nextTokenOf, pageRequestOf, setPageHeaders } from '../http/paging.js'
import { parseCursor, parseStatuses, parseTargetFilter } from '../operations/list-filters.js'
import { replyAccepted } from '../operations/index.js'
import { toFlywheelTask } from '../operations/view.js'
import { FlywheelSchema, GetOperationSchema, ListOperationsSchema, RetryOperationSchema } from '../schemas/operations.js'

/** Operations per page when the query gives no limit (the list was always paged). */
const DEFAULT_OPERATIONS_PAGE = 50

/** Tracked operations: reading them (ours, and the Spinup flywheel task view), retrying a failed one. */
export async function operationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/operations/:id', { schema: GetOperationSchema }, async (request) =>
    app.operations.get(accountOf(request).name, request.params.id),
  )

  app.post('/v1/ecs/:account/operations/:id/retry', { schema: RetryOperationSchema }, async (request, reply) =>
    replyAccepted(reply, await app.operations.retry(accountOf(request).name, request.params.id, request.id)),
  )

  app.get('/v1/ecs/:account/operations', { schema: ListOperationsSchema }, async (request, reply) => {
    const { status, target, cursor } = request.query
    const statuses = parseStatuses(status)
    const targetPath = parseTargetFilter(target)
    const page = pageRequestOf(request, DEFAULT_OPERATIONS_PAGE)
    const after = page?.cursor ?? parseCursor(cursor)
    const found = await app.operations.list(accountOf(request).name, {
      limit: page?.limit ?? DEFAULT_OPERATIONS_PAGE,
      ...(statuses ? { statuses } : {}),
      ...(targetPath !== undefined ? { targetPath } : {}),
      ...(after !== undefined ? { cursor: after } : {}),
    })
    if (page) {
      const next = found.nextCursor === undefined ? undefined : nextTokenOf(page, { cursor: found.nextCursor })
      setPageHeaders(request, reply, page, found.operations.length, next)
    }
    return found
  })

  app.get('/v1/ecs/flywheel', { schema: FlywheelSchema }, async (request) => {
    const records = await app.operations.records(request.query.task)
    if (records.length === 0) throw new NotFoundError(`no task ${request.query.task.join(', ')}`)
    return Object.fromEntries(records.map((r) => [r.id, toFlywheelTask(r)]))
  })
}

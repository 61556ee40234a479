import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../core/errors.js'
import { accountOf } from '../http/accounts-plugin.js'
import { parseCursor, parseStatuses, parseTargetFilter } from '../operations/list-filters.js'
import { replyAccepted } from '../operations/index.js'
import { toFlywheelTask } from '../operations/view.js'
import { FlywheelSchema, GetOperationSchema, ListOperationsSchema, RetryOperationSchema } from '../schemas/operations.js'

/** Tracked operations: reading them (ours, and the Spinup flywheel task view), retrying a failed one. */
export async function operationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/operations/:id', { schema: GetOperationSchema }, async (request) =>
    app.operations.get(accountOf(request).name, request.params.id),
  )

  app.post('/v1/ecs/:account/operations/:id/retry', { schema: RetryOperationSchema }, async (request, reply) =>
    replyAccepted(reply, await app.operations.retry(accountOf(request).name, request.params.id, request.id)),
  )

  app.get('/v1/ecs/:account/operations', { schema: ListOperationsSchema }, async (request) => {
    const { status, target, limit, cursor } = request.query
    const statuses = parseStatuses(status)
    const targetPath = parseTargetFilter(target)
    const after = parseCursor(cursor)
    return app.operations.list(accountOf(request).name, {
      limit: limit ?? 50,
      ...(statuses ? { statuses } : {}),
      ...(targetPath !== undefined ? { targetPath } : {}),
      ...(after !== undefined ? { cursor: after } : {}),
    })
  })

  app.get('/v1/ecs/flywheel', { schema: FlywheelSchema }, async (request) => {
    const records = await app.operations.records(request.query.task)
    if (records.length === 0) throw new NotFoundError(`no task ${request.query.task.join(', ')}`)
    return Object.fromEntries(records.map((r) => [r.id, toFlywheelTask(r)]))
  })
}

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../core/errors.js'
import { accountOf } from '../http/accounts-plugin.js'
import { parseCursor, parseStatuses, parseTargetFilter } from '../operations/list-filters.js'
import { toFlywheelTask } from '../operations/view.js'
import { FlywheelSchema, GetOperationSchema, ListOperationsSchema } from '../schemas/operations.js'

/** Reading tracked operations: ours, and the Spinup flywheel task view of them. */
export async function operationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/v1/ecs/:account/operations/:id', { schema: GetOperationSchema }, async (request) =>
    app.operations.get(accountOf(request).name, request.params.id),
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

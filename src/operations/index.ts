/**
 * Tracked, durable operations: work that outlives the request that starts it (recursive deletes,
 * task-definition deletes, cleanup a rollback could not finish). Stored in an SQLite file by
 * default, or in Redis (`redis` in the config) where every replica runs them and one that dies has
 * its operations finished by another. Clients follow them at `GET /v1/ecs/{account}/operations/{id}`
 * and `GET /v1/ecs/flywheel?task={id}`.
 *
 * 1. Define a kind: a name and the steps for an input. Steps run in the order listed (a step with
 *    `dependsOn` runs as soon as those succeeded instead). Every step must be idempotent: after a
 *    crash or a shutdown the step that was in flight runs again, in whichever process resumes it.
 *    The input is stored as JSON: names and flags, never secrets. AWS clients come from
 *    `ctx.account.clients` (resolved in the running process from the account name).
 *
 *      export const taskdefDelete = defineOperationKind<{ cluster: string; family: string }>({
 *        name: 'taskdef.delete',
 *        steps: () => [
 *          { id: 'stop-tasks', run: async (ctx) => ({ stopped: await stopTasks(ctx.account, ctx.input) }) },
 *          { id: 'deregister-revisions', run: async (ctx) => deregisterAll(ctx.account, ctx.input.family) },
 *        ],
 *      })
 *
 * 2. List it in `src/domain/operation-kinds.ts`: the app registers those once, when it is built
 *    (`operationsPlugin`'s `kinds`), so every replica can run an operation any route started.
 *    (Process-wide at module load: `operationKinds.register(kind)`, for tests; not both.)
 *
 * 3. Start it from the use case (`startOperation` in src/domain/use-case-context.ts fills in the
 *    account and request id) and answer 202 with `Location` and `X-Flywheel-Task` from the route:
 *
 *      const op = await startOperation(ctx, 'taskdef.delete', { cluster, taskDefinition: family }, { cluster, family })
 *      return replyAccepted(reply, op)          // body: the operation; or replyAccepted(reply, op, body)
 *
 *    In the route's schema: `response: { 202: acceptedResponse() }` (or `acceptedResponse(MyBody)`)
 *    from src/schemas/operations.ts, which documents both headers. `start` answers the operation's
 *    view (`OperationView`, schema `OperationSchema`); it throws NotFoundError for an unknown
 *    account and a 503 when the store cannot be reached.
 *
 * A failed operation can be retried (`POST /v1/ecs/{account}/operations/{id}/retry`, `retry`): the
 * same record runs again, skipping the steps that succeeded and re-running the failed one and those
 * after it. A step that removes several things should say what it removed before it fails (see
 * `IncompleteCleanupError` in src/workflows/cleanup/incomplete.ts), so a failed operation tells what
 * is gone and its error what remains.
 *
 * In a step: `ctx.input`, `ctx.target`, `ctx.account`, `ctx.outputOf(stepId)` (an earlier step's
 * persisted output), `ctx.event('stopped 3 tasks')` (shown to clients), `ctx.signal` (aborted at the
 * shutdown deadline), `ctx.log`. Throw a domain error to fail the operation with its code and
 * message; anything else is recorded as an internal error and logged.
 */
import type { FastifyReply } from 'fastify'
import type { OperationView } from './view.js'

export { defineOperationKind, OperationPausedError, operationKinds, type OperationContext, type OperationKind, type OperationStep } from './kinds.js'
export type { ListOperations, Operations, StartOperation } from './operations.js'
export type { OperationRecord, OperationStatus, OperationTarget } from './record.js'
export { targetPath } from './record.js'
export type { FlywheelTask, OperationView } from './view.js'

/** Where an operation is read: `/v1/ecs/{account}/operations/{id}`. */
export function operationLocation(op: Pick<OperationView, 'id' | 'account'>): string {
  return `/v1/ecs/${encodeURIComponent(op.account)}/operations/${op.id}`
}

/**
 * Answers 202 Accepted for a started operation, with `Location` (where to follow it) and the Spinup
 * flywheel convention's `X-Flywheel-Task`; the body is `body`, or else the operation itself.
 */
export function replyAccepted(reply: FastifyReply, op: Pick<OperationView, 'id' | 'account'>, body?: unknown): FastifyReply {
  return reply
    .code(202)
    .header('Location', operationLocation(op))
    .header('X-Flywheel-Task', op.id)
    .send(body ?? op)
}

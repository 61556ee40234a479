import Type, { type TSchema } from 'typebox'
import { AccountParams, errorResponses } from './common.js'

const problems = { ...errorResponses, 503: Type.Ref('Problem') } as const
const tags = ['operations']
const Timestamp = Type.String({ format: 'date-time' })

export const OperationTargetSchema = Type.Object(
  {
    cluster: Type.Optional(Type.String()),
    service: Type.Optional(Type.String()),
    taskDefinition: Type.Optional(Type.String()),
  },
  { description: 'what the operation works on' },
)

const OperationStepSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer({ description: 'times the step was started; more than 1 after a resume re-ran it' }),
  startedAt: Type.Optional(Timestamp),
  finishedAt: Type.Optional(Timestamp),
  error: Type.Optional(Type.String()),
})

export const OperationStatusSchema = Type.Union(
  [Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')],
  { description: 'queued (waiting for a runner, also after a shutdown paused it), running, succeeded or failed' },
)

/** An operation as the API shows it; also the default body of a 202 that started one. */
export const OperationSchema = Type.Object(
  {
    id: Type.String({ description: 'also the X-Flywheel-Task id' }),
    kind: Type.String({ description: 'for example taskdef.delete' }),
    account: Type.String(),
    target: OperationTargetSchema,
    status: OperationStatusSchema,
    steps: Type.Array(OperationStepSchema),
    error: Type.Optional(
      Type.Object({ step: Type.Optional(Type.String()), code: Type.String(), message: Type.String() }, { description: 'why it failed' }),
    ),
    requestId: Type.Optional(Type.String({ description: 'the request that started it' })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    startedAt: Type.Optional(Timestamp),
    finishedAt: Type.Optional(Timestamp),
    runs: Type.Integer({ description: 'times a process started running it: 1, plus one per resume' }),
    events: Type.Optional(
      Type.Array(Type.Object({ at: Timestamp, message: Type.String() }), { description: 'the latest 100; single-operation view only' }),
    ),
  },
  { description: 'a tracked operation' },
)

/**
 * The 202 answer of a route that starts an operation (see `replyAccepted`): `body` (the operation
 * by default) with the `Location` and `X-Flywheel-Task` headers documented.
 */
export function acceptedResponse<T extends TSchema>(body: T): T & { description: string; headers: Record<string, unknown> }
export function acceptedResponse(): typeof OperationSchema & { description: string; headers: Record<string, unknown> }
export function acceptedResponse(body: TSchema = OperationSchema): TSchema & { description: string; headers: Record<string, unknown> } {
  return {
    ...body,
    description: 'accepted: the work goes on as a tracked operation',
    headers: {
      Location: Type.String({ description: 'where to follow the operation: /v1/ecs/{account}/operations/{id}' }),
      'X-Flywheel-Task': Type.String({ description: 'the operation id, for GET /v1/ecs/flywheel?task={id}' }),
    },
  }
}

export const GetOperationSchema = {
  tags,
  summary: 'One operation of the account',
  params: Type.Object({ ...AccountParams.properties, id: Type.String({ description: 'the operation id' }) }),
  response: { 200: OperationSchema, ...problems },
}

export const RetryOperationSchema = {
  tags,
  summary: 'Run a failed operation again from the step that failed',
  description:
    'The steps that succeeded are kept and skipped; the failed step and those after it run again (every step is ' +
    'idempotent), in the same operation: its status goes back to queued, its runs count grows, and its events say ' +
    'the retry was asked for. Only a failed operation can be retried (409 otherwise); follow it at Location as before.',
  params: GetOperationSchema.params,
  response: { 202: acceptedResponse(), ...problems, 409: Type.Ref('Problem') },
}

export const ListOperationsSchema = {
  tags,
  summary: "The account's operations, newest first",
  params: AccountParams,
  querystring: Type.Object({
    status: Type.Optional(
      Type.Array(Type.String(), {
        description: 'queued, running, succeeded or failed; repeat the parameter or separate with commas for several',
      }),
    ),
    target: Type.Optional(
      Type.String({
        description: 'clusters/{cluster}, clusters/{cluster}/services/{service} or clusters/{cluster}/taskdefs/{taskdef}; matches that target and what is below it',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'operations per page (50 when absent); with it or next, the answer also carries the paging headers' })),
    cursor: Type.Optional(Type.String({ description: "the previous page's nextCursor" })),
    next: Type.Optional(Type.String({ description: "the previous page's X-Next-Token; only valid with the same query" })),
  }),
  response: {
    200: Type.Object({
      operations: Type.Array(OperationSchema),
      nextCursor: Type.Optional(Type.String({ description: 'present when more may follow' })),
    }),
    ...problems,
  },
}

export const FlywheelTaskSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('created'), Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
    created_at: Type.String(),
    checkin_at: Type.String({ description: 'last progress report' }),
    completed_at: Type.String({ description: 'empty unless completed' }),
    failed_at: Type.String({ description: 'empty unless failed' }),
    failure: Type.String({ description: 'empty unless failed' }),
    events: Type.Array(Type.String(), { description: '"<time> <message>" lines' }),
  },
  { description: 'an operation in the Spinup flywheel task format' },
)

export const FlywheelSchema = {
  tags,
  summary: 'Operations in the Spinup flywheel format, by id (any account)',
  description: 'Answers a map of id to task; unknown ids are left out, and if none is known the answer is 404.',
  querystring: Type.Object({
    task: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100, description: 'an operation id; repeat for several' }),
  }),
  response: { 200: Type.Record(Type.String(), FlywheelTaskSchema), ...problems },
}

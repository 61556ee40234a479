/**
 * Task routes (one-off tasks of managed task definitions): TypeBox schemas for validation and the
 * OpenAPI document. The run-task body's codec shape is the use case's (`domain/tasks/bodies.ts`).
 */
import Type from 'typebox'
import { withErrors } from './common.js'
import { ClusterParams, TaskDefParams } from './taskdefs.js'

const routeTags = ['tasks']
const AwsObject = Type.Object({}, { additionalProperties: true })

const TaskId = Type.String({ minLength: 1, description: 'task id or task ARN' })
export const TaskParams = Type.Object({ ...ClusterParams.properties, task: TaskId })
export const TaskDefTaskParams = Type.Object({ ...TaskDefParams.properties, task: TaskId })

/** `{Tasks, Failures}`: ECS tasks (each with the `Revision` of its task definition) and failures. */
const TasksOutput = Type.Object(
  { Tasks: Type.Array(AwsObject), Failures: Type.Array(AwsObject) },
  { additionalProperties: true },
)

export const runTaskSchema = {
  tags: routeTags,
  summary: 'Run 1 to 10 tasks of a managed task definition (Fargate, the account network, tags propagated)',
  params: TaskDefParams,
  body: Type.Object({}, { additionalProperties: true, description: 'an ECS RunTask input; keys match case-insensitively' }),
  response: withErrors({ 200: TasksOutput, 502: Type.Ref('Problem'), 503: Type.Ref('Problem') }),
}

export const listTasksSchema = {
  tags: routeTags,
  summary: 'Tasks of a task definition family in a cluster, as <cluster>/<taskId>',
  params: TaskDefParams,
  querystring: Type.Object({
    status: Type.Optional(Type.Array(Type.String(), { description: 'RUNNING (default), PENDING or STOPPED; repeatable' })),
    startedBy: Type.Optional(Type.String()),
  }),
  response: withErrors({ 200: Type.Array(Type.String()) }),
}

export const showTaskSchema = {
  tags: routeTags,
  summary: 'A task of the org in a cluster',
  params: TaskParams,
  response: withErrors({ 200: TasksOutput }),
}

export const showTaskDefTaskSchema = { ...showTaskSchema, summary: 'A task of the task definition family', params: TaskDefTaskParams }

export const stopTaskSchema = {
  tags: routeTags,
  summary: 'Stop a task of the org',
  params: TaskParams,
  querystring: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 255 })) }),
  response: withErrors({ 200: Type.String({ description: 'the text OK' }) }),
}

export const stopTaskDefTaskSchema = { ...stopTaskSchema, summary: 'Stop a task of the task definition family', params: TaskDefTaskParams }

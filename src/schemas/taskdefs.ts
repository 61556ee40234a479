/**
 * Managed task definition routes: TypeBox schemas for validation and the OpenAPI document. The
 * bodies' codec shapes are the use cases' (`domain/taskdefs/bodies.ts`).
 */
import Type from 'typebox'
import { AccountParams, withErrors } from './common.js'
import { QueryBool } from './services.js'

// ---- HTTP schemas ----------------------------------------------------------------------------------

const routeTags = ['taskdefs']

export const ClusterParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
})
export const TaskDefParams = Type.Object({
  ...ClusterParams.properties,
  taskdef: Type.String({ minLength: 1, description: 'family, family:revision or task definition ARN' }),
})

/** An AWS object in PascalCase (see the codec); left open here. */
const AwsObject = Type.Object({}, { additionalProperties: true })
const OrchestrationBody = Type.Object(
  {},
  { additionalProperties: true, description: 'keys match AWS member names case-insensitively' },
)
const TagList = Type.Array(Type.Object({ Key: Type.String(), Value: Type.String() }))


export const createTaskDefSchema = {
  tags: routeTags,
  summary: 'Create a managed task definition with its cluster, execution role, log group and credentials',
  params: AccountParams,
  body: OrchestrationBody,
  response: withErrors({
    200: Type.Object(
      {
        Cluster: AwsObject,
        Credentials: Type.Union([Type.Record(Type.String(), AwsObject), Type.Null()]),
        TaskDefinition: AwsObject,
      },
      { additionalProperties: true },
    ),
    409: Type.Ref('Problem'),
    502: Type.Ref('Problem'),
    503: Type.Ref('Problem'),
  }),
}

export const listTaskDefsSchema = {
  tags: routeTags,
  summary: "Families of the org's managed task definitions in a cluster, sorted",
  params: ClusterParams,
  response: withErrors({ 200: Type.Array(Type.String()) }),
}

export const showTaskDefSchema = {
  tags: routeTags,
  summary: 'A managed task definition (latest revision for a family) with its cluster and tags',
  params: TaskDefParams,
  response: withErrors({
    200: Type.Object({ Cluster: AwsObject, TaskDefinition: AwsObject, Tags: TagList }, { additionalProperties: true }),
  }),
}

export const updateTaskDefSchema = {
  tags: routeTags,
  summary: 'Register a new revision, update its repository credentials, and/or re-apply tags',
  params: TaskDefParams,
  body: OrchestrationBody,
  response: withErrors({
    200: Type.Object(
      {
        Cluster: AwsObject,
        TaskDefinition: AwsObject,
        Credentials: Type.Union([Type.Record(Type.String(), AwsObject), Type.Null()]),
        CloudwatchLogGroups: Type.Array(Type.String()),
        Tags: TagList,
      },
      { additionalProperties: true },
    ),
    409: Type.Ref('Problem'),
    502: Type.Ref('Problem'),
    503: Type.Ref('Problem'),
  }),
}

export const deleteTaskDefSchema = {
  tags: routeTags,
  summary: 'Delete every revision of a family (and its credentials) as a tracked operation',
  description:
    'Answers 202 with Location and X-Flywheel-Task naming the operation, which stops the running tasks, ' +
    'deregisters every revision, deletes their credential secrets and, with recursive, the cluster and its role ' +
    'when nothing else is left in it. Running tasks without force: 409.',
  params: TaskDefParams,
  querystring: Type.Object({ recursive: Type.Optional(QueryBool), force: Type.Optional(QueryBool) }),
  response: withErrors({
    202: Type.Object(
      { Cluster: Type.String(), TaskDefinition: Type.String(), Tasks: Type.Null() },
      { additionalProperties: true },
    ),
    409: Type.Ref('Problem'),
  }),
}

/**
 * Managed task definition routes: TypeBox schemas for validation and the OpenAPI document, and the
 * codec shapes of the orchestration bodies (the original's TaskDefCreateOrchestrationInput and
 * TaskDefUpdateOrchestrationInput).
 */
import {
  CreateClusterRequest$,
  RegisterTaskDefinitionRequest$,
  type CreateClusterCommandInput,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs'
import { CreateSecretRequest$, Tag$ as KeyValueTag$, type CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import Type from 'typebox'
import { listOf, mapOf, scalar, sdkShape, struct } from '../codec/index.js'
import type { Tag } from '../core/tags.js'
import { AccountParams, errorResponses } from './common.js'
import { QueryBool } from './services.js'

// ---- codec shapes of the bodies -------------------------------------------------------------------

const taskDefinition = sdkShape<RegisterTaskDefinitionCommandInput>(RegisterTaskDefinitionRequest$)
/** Repository credentials by container name (keys verbatim): each a Secrets Manager CreateSecret input. */
const credentials = mapOf(sdkShape<CreateSecretCommandInput>(CreateSecretRequest$))
/** `{Key, Value}` tags (any key case), as the domain keeps them. */
const tags = listOf(sdkShape<Tag>(KeyValueTag$))

/** POST /taskdefs: a task definition and what it needs (cluster, credentials), tagged. */
export const TaskDefCreateBody = struct(
  { cluster: sdkShape<CreateClusterCommandInput>(CreateClusterRequest$), taskDefinition, credentials, tags },
  'TaskDefCreateBody',
)

/** PUT /taskdefs/{taskdef}: a new revision and/or credentials and/or tags; `{}` re-applies the tags. */
export const TaskDefUpdateBody = struct(
  { clusterName: scalar.string, taskDefinition, credentials, tags },
  'TaskDefUpdateBody',
)

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

const withErrors = <R extends object>(responses: R) => ({ ...errorResponses, 403: Type.Ref('Problem'), ...responses })

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

/**
 * Services routes: TypeBox schemas for validation and the OpenAPI document. The bodies' codec shapes
 * are the use cases' (`domain/services/bodies.ts`).
 */
import Type from 'typebox'
import { AccountParams, withErrors } from './common.js'
import { acceptedResponse } from './operations.js'
import { logsAnswer, MergedLogs, mergedLogsQuery } from './logs.js'
import { WaitHeaders, WaitQuery, withDeploymentAnswer } from './deployments.js'

// ---- HTTP schemas ----------------------------------------------------------------------------------

const routeTags = ['services']

/** Booleans in queries as Go's ParseBool read them (`1`, `t`, `TRUE`, `false`, ...); empty means false. */
export const QueryBool = Type.String({
  pattern: '^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)?$',
  description: 'true or false (also 1/0, t/f)',
})

/** Reads a `QueryBool` value. */
export function queryBool(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|T|TRUE|true|True)$/.test(value)
}

const ClusterParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
})
const ServiceParams = Type.Object({
  ...ClusterParams.properties,
  service: Type.String({ minLength: 1, description: 'service name or ARN' }),
})

/** An AWS object in PascalCase (see the codec); left open here. */
const AwsObject = Type.Object({}, { additionalProperties: true })
const OrchestrationBody = Type.Object({}, { additionalProperties: true, description: 'keys match case-insensitively' })


export const createServiceSchema = {
  tags: routeTags,
  summary: 'Create a service with its cluster, task definition, credentials and Cloud Map registration',
  params: AccountParams,
  querystring: WaitQuery,
  headers: WaitHeaders,
  body: OrchestrationBody,
  response: withErrors({
    200: withDeploymentAnswer(Type.Object(
      {
        Cluster: Type.Union([AwsObject, Type.Null()]),
        Credentials: Type.Union([Type.Record(Type.String(), AwsObject), Type.Null()]),
        TaskDefinition: Type.Union([AwsObject, Type.Null()]),
        Service: AwsObject,
        ServiceDiscoveryService: Type.Union([AwsObject, Type.Null()]),
      },
      { additionalProperties: true },
    )),
  }, 409, 502, 503),
}

export const listServicesSchema = {
  tags: routeTags,
  summary: "The org's services in a cluster: ARNs, or service objects with all=true",
  params: ClusterParams,
  querystring: Type.Object({ all: Type.Optional(QueryBool) }),
  response: withErrors({ 200: Type.Union([Type.Array(Type.String()), Type.Array(AwsObject)]) }),
}

export const showServiceSchema = {
  tags: routeTags,
  summary: 'A service with its tags; with all=true also its cluster, task definition, tasks and endpoint',
  params: ServiceParams,
  querystring: Type.Object({ all: Type.Optional(QueryBool) }),
  response: withErrors({ 200: AwsObject }),
}

export const serviceEventsSchema = {
  tags: routeTags,
  summary: "The service's events, newest first, as ECS keeps them",
  params: ServiceParams,
  response: withErrors({ 200: Type.Array(AwsObject) }),
}

/**
 * Kept as strings: the domain parses them and names the parameter in its 400 (quoted values are
 * accepted). `task` with `container` and nothing new is the original's single-stream form; any of the
 * merged form's parameters (`schemas/logs.ts`) asks for the merged form.
 */
export const serviceLogsSchema = {
  tags: routeTags,
  summary: "Log events of one container of one of the service's tasks, or of several tasks merged in time order; follow with SSE",
  params: ServiceParams,
  querystring: Type.Object({
    ...mergedLogsQuery,
    task: Type.Optional(Type.String({ description: 'task id, `<cluster>/<id>` or task ARN (required in the single-stream form)' })),
    container: Type.Optional(Type.String({ description: 'container name in the task definition (required in the single-stream form)' })),
    limit: Type.Optional(Type.String({ description: 'at most this many events, 1 to 10000' })),
    seq: Type.Optional(Type.String({ description: 'a NextForwardToken of an earlier answer (single-stream form)' })),
    start: Type.Optional(Type.String({ description: 'epoch milliseconds (single-stream form)' })),
    end: Type.Optional(Type.String({ description: 'epoch milliseconds, not before start (single-stream form)' })),
    tasks: Type.Optional(Type.String({ description: 'merged form: running (default), stopped, all, or a comma list of task ids of the service' })),
    previous: Type.Optional(Type.String({ description: 'merged form: true reads the most recently stopped task' })),
  }),
  response: withErrors({
    // Documents the answers; the route streams them as JSON text it writes itself (codec/log-events.ts
    // and the merged form's in domain/logs/logs-plan.ts), which skips this schema's serializer, so a
    // change here must be made there too.
    200: logsAnswer(
      Type.Union([
        Type.Object(
          {
            Events: Type.Array(AwsObject),
            NextBackwardToken: Type.Union([Type.String(), Type.Null()]),
            NextForwardToken: Type.Union([Type.String(), Type.Null()]),
          },
          { description: 'the single-stream form' },
        ),
        MergedLogs,
      ]),
    ),
  }, 503),
}

export const updateServiceSchema = {
  tags: routeTags,
  summary: 'Update tags, redeploy, register a new task definition, change service parameters or credentials',
  params: ServiceParams,
  querystring: WaitQuery,
  headers: WaitHeaders,
  body: OrchestrationBody,
  response: withErrors({
    200: withDeploymentAnswer(Type.Object(
      {
        Cluster: AwsObject,
        Service: AwsObject,
        TaskDefinition: AwsObject,
        Credentials: Type.Union([Type.Record(Type.String(), AwsObject), Type.Null()]),
        CloudwatchLogGroups: Type.Array(Type.String()),
        Tags: Type.Array(AwsObject),
      },
      { additionalProperties: true },
    )),
  }, 409, 502, 503),
}

export const deleteServiceSchema = {
  tags: routeTags,
  summary: 'Delete a service; with recursive=true also its registrations, task definitions, secrets and empty cluster',
  params: ServiceParams,
  querystring: Type.Object({ recursive: Type.Optional(QueryBool) }),
  response: withErrors({ 200: AwsObject, 202: acceptedResponse(AwsObject) }, 409, 503),
}

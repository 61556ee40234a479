/**
 * What the OpenAPI document says about the answers of the original's routes that carry AWS objects:
 * the SDK shapes the use cases encode them from (PascalCase members, times as RFC 3339 strings).
 * The routes' own response schemas stay as they are (they drive serialization); only the document
 * is given the detail. The shapes are thunks that load their client package only when the document
 * is first built.
 */
import { listOf, mapOf, type ShapeInput } from '../codec/index.js'
import { ScalingActivity$ } from '../domain/autoscaling/answer-shapes.js'
import { OutputLogEvent$ } from '../domain/logs/answer-shapes.js'
import { TaskOverride$ } from '../domain/schedules/answer-shapes.js'
import {
  CreatedSecretShape as CreateSecretResponse$,
  DeletedSecretShape as DeleteSecretResponse$,
  SecretMetadataShape as DescribeSecretResponse$,
  SecretVersionShape as PutSecretValueResponse$,
} from '../domain/secrets/bodies.js'
import { Cluster$, EcsTag$, RegistryService$, Service$, ServiceEvent$, TaskDefinition$ } from '../domain/services/answer-shapes.js'
import { Failure$, Task$ } from '../domain/tasks/answer-shapes.js'

export interface MemberDoc {
  shape: ShapeInput
  /** The member may be `null` (a part the request did not create). */
  nullable?: boolean
}

/**
 * The answer is the shape itself, a list of it, or the route's own object (or list of objects, with
 * `list`) whose named members are of these shapes. A route whose answer is one of several
 * (`anyOf`) names what each alternative is, in the route's order: a doc, or `asRoute` for one the
 * route's schema already describes.
 */
export type ResponseBodyDoc =
  | { shape: ShapeInput; list?: boolean }
  | { members: Record<string, MemberDoc>; list?: boolean }
  | { alternatives: ReadonlyArray<ResponseBodyDoc | typeof asRoute> }

/** An alternative of an answer that the route's own schema describes. */
export const asRoute = 'as the route says'

/** Every shape a doc names, for the enums generator (scripts/sdk-enums.ts). */
export function shapesOf(doc: ResponseBodyDoc): ShapeInput[] {
  if ('shape' in doc) return [doc.shape]
  if ('members' in doc) return Object.values(doc.members).map((m) => m.shape)
  return doc.alternatives.flatMap((a) => (a === asRoute ? [] : shapesOf(a)))
}

/** The answer of the task routes: ECS's tasks and failures. */
function tasksAnswer(): ResponseBodyDoc {
  return { members: { Tasks: { shape: listOf(Task$) }, Failures: { shape: listOf(Failure$) } } }
}

/**
 * The body of a service create, and of a service delete, plain (200) or recursive (202, the rest going
 * on as an operation): there the service as it was, the other members null.
 */
function serviceAnswer(): ResponseBodyDoc {
  return {
    members: {
      Cluster: { shape: Cluster$, nullable: true },
      Credentials: { shape: mapOf(CreateSecretResponse$), nullable: true },
      TaskDefinition: { shape: TaskDefinition$, nullable: true },
      Service: { shape: Service$ },
      ServiceDiscoveryService: { shape: RegistryService$, nullable: true },
    },
  }
}

/** A schedule: the route's own members, with the task override it runs with as ECS's TaskOverride. */
const scheduleMembers = { Overrides: { shape: TaskOverride$, nullable: true } }

/**
 * By `METHOD /openapi/path` as the document spells it, for the 200 answer; `METHOD /openapi/path
 * STATUS` for another 2xx.
 */
export const responseBodyDocs: Readonly<Record<string, ResponseBodyDoc>> = {
  'POST /v1/ecs/{account}/services': serviceAnswer(),
  'PUT /v1/ecs/{account}/clusters/{cluster}/services/{service}': {
    members: {
      Cluster: { shape: Cluster$ },
      Service: { shape: Service$ },
      TaskDefinition: { shape: TaskDefinition$ },
      // By container name: a new secret's CreateSecret answer, or a new value's PutSecretValue
      // answer (the same members and VersionStages).
      Credentials: { shape: mapOf(PutSecretValueResponse$), nullable: true },
      Tags: { shape: listOf(EcsTag$) },
    },
  },
  // ARNs, or with all=true the services.
  'GET /v1/ecs/{account}/clusters/{cluster}/services': { alternatives: [asRoute, { shape: Service$, list: true }] },
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}': { shape: Service$ },
  // The single-stream form carries CloudWatch Logs' events; the merged form is the route's own.
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/logs': {
    alternatives: [{ members: { Events: { shape: listOf(OutputLogEvent$) } } }, asRoute],
  },
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/events': { shape: ServiceEvent$, list: true },
  'POST /v1/ecs/{account}/secrets': { shape: CreateSecretResponse$ },
  'GET /v1/ecs/{account}/secrets/{secret}': { shape: DescribeSecretResponse$ },
  // Empty (`{}`) when only tags changed: every member is optional.
  'PUT /v1/ecs/{account}/secrets/{secret}': { shape: PutSecretValueResponse$ },
  'DELETE /v1/ecs/{account}/secrets/{secret}': { shape: DeleteSecretResponse$ },
  'DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service}': serviceAnswer(),
  'DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service} 202': serviceAnswer(),
  'POST /v1/ecs/{account}/taskdefs': {
    members: { Cluster: { shape: Cluster$ }, Credentials: { shape: mapOf(CreateSecretResponse$), nullable: true }, TaskDefinition: { shape: TaskDefinition$ } },
  },
  'PUT /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}': {
    members: { Cluster: { shape: Cluster$ }, Credentials: { shape: mapOf(CreateSecretResponse$), nullable: true }, TaskDefinition: { shape: TaskDefinition$ } },
  },
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}': { members: { Cluster: { shape: Cluster$ }, TaskDefinition: { shape: TaskDefinition$ } } },
  // Each task also carries `Revision`, its task definition's revision (the route's own member).
  'POST /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks': tasksAnswer(),
  'GET /v1/ecs/{account}/clusters/{cluster}/tasks/{task}': tasksAnswer(),
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks/{task}': tasksAnswer(),
  'POST /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules 201': { members: scheduleMembers },
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules': { members: scheduleMembers, list: true },
  'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules/{name}': { members: scheduleMembers },
  'PUT /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules/{name}': { members: scheduleMembers },
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/autoscaling': {
    members: { ScalingActivities: { shape: listOf(ScalingActivity$) } },
  },
}

/**
 * What the OpenAPI document says about the answers of the original's routes that carry AWS objects:
 * the SDK shapes the use cases encode them from (PascalCase members, times as RFC 3339 strings).
 * The routes' own response schemas stay as they are (they drive serialization); only the document
 * is given the detail. The shapes are thunks that load their client package only when the document
 * is first built.
 */
import { listOf, mapOf, type ShapeInput } from '../codec/index.js'
import { CreatedSecretShape as CreateSecretResponse$, DeletedSecretShape as DeleteSecretResponse$, SecretMetadataShape as DescribeSecretResponse$ } from '../domain/secrets/bodies.js'
import { Cluster$, RegistryService$, Service$, ServiceEvent$, TaskDefinition$ } from '../domain/services/answer-shapes.js'
import { Failure$, Task$ } from '../domain/tasks/answer-shapes.js'

export interface MemberDoc {
  shape: ShapeInput
  /** The member may be `null` (a part the request did not create). */
  nullable?: boolean
}

/** The 200 answer is the shape itself, a list of it, or an object whose named members are of these shapes. */
export type ResponseBodyDoc = { shape: ShapeInput; list?: boolean } | { members: Record<string, MemberDoc> }

/** The answer of the task routes: ECS's tasks and failures. */
function tasksAnswer(): ResponseBodyDoc {
  return { members: { Tasks: { shape: listOf(Task$) }, Failures: { shape: listOf(Failure$) } } }
}

/** By `METHOD /openapi/path` as the document spells it. */
export const responseBodyDocs: Readonly<Record<string, ResponseBodyDoc>> = {
  'POST /v1/ecs/{account}/services': {
    members: {
      Cluster: { shape: Cluster$, nullable: true },
      Credentials: { shape: mapOf(CreateSecretResponse$), nullable: true },
      TaskDefinition: { shape: TaskDefinition$, nullable: true },
      Service: { shape: Service$ },
      ServiceDiscoveryService: { shape: RegistryService$, nullable: true },
    },
  },
  'PUT /v1/ecs/{account}/clusters/{cluster}/services/{service}': {
    members: { Cluster: { shape: Cluster$ }, Service: { shape: Service$ }, TaskDefinition: { shape: TaskDefinition$ } },
  },
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}': { shape: Service$ },
  'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/events': { shape: ServiceEvent$, list: true },
  'POST /v1/ecs/{account}/secrets': { shape: CreateSecretResponse$ },
  'GET /v1/ecs/{account}/secrets/{secret}': { shape: DescribeSecretResponse$ },
  'DELETE /v1/ecs/{account}/secrets/{secret}': { shape: DeleteSecretResponse$ },
  // A plain delete answers the service as it was (its other members null).
  'DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service}': { members: { Service: { shape: Service$ } } },
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
}

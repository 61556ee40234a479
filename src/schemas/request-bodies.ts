/**
 * What the OpenAPI document says about the request bodies of the original's routes: the codec
 * shape each use case decodes the body with (an AWS SDK shape, or our wrapper over them) and the
 * seed's examples of it. The routes keep validating these bodies as open objects, exactly as before:
 * the codec decides (keys in any case, unknown keys ignored, a 400 naming the path), and these
 * schemas only describe that.
 */
import type { ShapeInput } from '../codec/index.js'
import { ParameterBodyShape } from '../domain/parameters/bodies.js'
import { SecretCreateShape, SecretUpdateShape } from '../domain/secrets/bodies.js'
import { ServiceCreateBody, ServiceUpdateBody } from '../domain/services/bodies.js'
import { TaskDefCreateBody, TaskDefUpdateBody } from '../domain/taskdefs/bodies.js'
import { RunTaskBody } from '../domain/tasks/bodies.js'
import * as seed from './seed-examples.js'

export interface RequestBodyDoc {
  shape: ShapeInput
  description: string
  /** Named examples: `summary` and the body as the seed wrote it. */
  examples: Record<string, { summary: string; value: unknown }>
}

/** By `METHOD /openapi/path` as the document spells it. */
export const requestBodyDocs: Readonly<Record<string, RequestBodyDoc>> = {
  'POST /v1/ecs/{account}/services': {
    shape: ServiceCreateBody,
    description:
      'Everything one service needs, each part created where missing: Cluster (ECS CreateCluster), TaskDefinition ' +
      '(ECS RegisterTaskDefinition), Service (ECS CreateService), ServiceRegistry (Cloud Map CreateService), ' +
      'Credentials (by container name: Secrets Manager CreateSecret) and Tags.',
    examples: {
      newEverything: { summary: 'New cluster, task definition, service registry, credentials and service', value: seed.serviceCreateNewEverything },
      existingResources: { summary: 'A new service with existing resources', value: seed.serviceCreateExistingResources },
    },
  },
  'PUT /v1/ecs/{account}/clusters/{cluster}/services/{service}': {
    shape: ServiceUpdateBody,
    description:
      'Any combination of a new TaskDefinition revision, Credentials (by container name), Service parameters (ECS ' +
      'UpdateService), Tags and ForceNewDeployment.',
    examples: {
      tagsAndRedeploy: { summary: 'Update tags and force a redeployment', value: seed.serviceUpdateTagsRedeploy },
      taskDefinition: { summary: 'Update the task definition and redeploy', value: seed.serviceUpdateTaskDefinition },
      capacity: { summary: 'Replica count and capacity provider strategy', value: seed.serviceUpdateCapacity },
      addCredentials: { summary: 'Add a container definition with credentials', value: seed.serviceUpdateAddCredentials },
      credentialsArn: { summary: "Update a container definition's credentials", value: seed.serviceUpdateCredentialsArn },
    },
  },
  'POST /v1/ecs/{account}/taskdefs': {
    shape: TaskDefCreateBody,
    description: 'A task definition and what it needs: Cluster, TaskDefinition, Credentials (by container name) and Tags.',
    examples: { create: { summary: 'A task definition with two containers', value: seed.taskDefinitionCreate } },
  },
  'PUT /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}': {
    shape: TaskDefUpdateBody,
    description: 'A new revision (TaskDefinition), Credentials and/or Tags; `{}` re-applies the tags.',
    examples: {},
  },
  'POST /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/tasks': {
    shape: RunTaskBody,
    description: 'An ECS RunTask input; the cluster, the task definition and the networking come from the path and the account.',
    examples: { run: { summary: 'Run one task', value: seed.taskRun } },
  },
  'POST /v1/ecs/{account}/secrets': {
    shape: SecretCreateShape,
    description: 'A Secrets Manager CreateSecret input; exactly one of SecretString or SecretBinary (base64).',
    examples: { create: { summary: 'A string secret', value: seed.secretCreate } },
  },
  'PUT /v1/ecs/{account}/secrets/{secret}': {
    shape: SecretUpdateShape,
    description: 'A new string value (Secret) and/or tags to add or overwrite.',
    examples: { update: { summary: 'A new value and a tag', value: seed.secretUpdate } },
  },
  'POST /v1/ecs/{account}/params/{prefix}': {
    shape: ParameterBodyShape,
    description: 'An SSM PutParameter input; Name is one level, put under `/<org>/<prefix>/`.',
    examples: { create: { summary: 'A parameter with tags', value: seed.parameterCreate } },
  },
  'PUT /v1/ecs/{account}/params/{prefix}/{param}': {
    shape: ParameterBodyShape,
    description: 'A new Value and/or tags of the parameter (an SSM PutParameter input).',
    examples: { update: { summary: 'A new value and tags', value: seed.parameterUpdate } },
  },
}

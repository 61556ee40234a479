/**
 * The wrapper bodies of the original service (orchestration.ServiceOrchestrationInput,
 * ServiceOrchestrationUpdateInput, ...), described with the codec's wrapper builders. Tests use them
 * to decode the seed's bodies; the routes declare their own.
 */
import { readFileSync } from 'node:fs'

import {
  CreateClusterRequest$,
  CreateServiceRequest$ as EcsCreateServiceRequest$,
  RegisterTaskDefinitionRequest$,
  Tag$ as EcsTag$,
  UpdateServiceRequest$,
} from '@aws-sdk/client-ecs'
import type {
  CreateClusterCommandInput,
  CreateServiceCommandInput as EcsCreateServiceInput,
  RegisterTaskDefinitionCommandInput,
  Tag as EcsTag,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs'
import { CreateSecretRequest$, Tag$ as SecretsTag$ } from '@aws-sdk/client-secrets-manager'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { CreateServiceRequest$ as CloudMapCreateServiceRequest$ } from '@aws-sdk/client-servicediscovery'
import type { CreateServiceCommandInput as CloudMapCreateServiceInput } from '@aws-sdk/client-servicediscovery'

import { listOf, mapOf, scalar, sdkShape, struct } from '../../src/codec/index.js'

const cluster = sdkShape<CreateClusterCommandInput>(CreateClusterRequest$)
const taskDefinition = sdkShape<RegisterTaskDefinitionCommandInput>(RegisterTaskDefinitionRequest$)
const credentials = mapOf(sdkShape<CreateSecretCommandInput>(CreateSecretRequest$))
const tags = listOf(sdkShape<EcsTag>(EcsTag$))

export const ServiceCreateBody = struct(
  {
    cluster,
    taskDefinition,
    service: sdkShape<EcsCreateServiceInput>(EcsCreateServiceRequest$),
    serviceRegistry: sdkShape<CloudMapCreateServiceInput>(CloudMapCreateServiceRequest$),
    credentials,
    tags,
  },
  'ServiceCreateBody',
)

export const ServiceUpdateBody = struct(
  {
    clusterName: scalar.string,
    taskDefinition,
    credentials,
    service: sdkShape<UpdateServiceCommandInput>(UpdateServiceRequest$),
    tags,
    forceNewDeployment: scalar.boolean,
  },
  'ServiceUpdateBody',
)

export const TaskDefCreateBody = struct({ cluster, taskDefinition, credentials, tags }, 'TaskDefCreateBody')

export const SecretUpdateBody = struct(
  { secret: scalar.string, tags: listOf(SecretsTag$) },
  'SecretUpdateBody',
)

export function seedFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8'))
}

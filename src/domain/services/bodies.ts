/**
 * Codec shapes of the service bodies (the original's ServiceOrchestrationInput and
 * ServiceOrchestrationUpdateInput): keys in any case, map keys verbatim, decoded by the use cases.
 */
import type { CreateClusterCommandInput, CreateServiceCommandInput as EcsCreateServiceInput, RegisterTaskDefinitionCommandInput, Tag as EcsTag, UpdateServiceCommandInput } from '@aws-sdk/client-ecs'
import { CreateClusterRequest$, CreateServiceRequest$ as EcsCreateServiceRequest$, RegisterTaskDefinitionRequest$, Tag$ as EcsTag$, UpdateServiceRequest$ } from '../../aws/sdk/ecs.js'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { CreateSecretRequest$ } from '../../aws/sdk/secrets-manager.js'
import type { CreateServiceCommandInput as CloudMapCreateServiceInput } from '@aws-sdk/client-servicediscovery'
import { CreateServiceRequest$ as CloudMapCreateServiceRequest$ } from '../../aws/sdk/service-discovery.js'
import { listOf, mapOf, scalar, sdkShape, struct } from '../../codec/index.js'

const taskDefinition = sdkShape<RegisterTaskDefinitionCommandInput>(RegisterTaskDefinitionRequest$)
/** Repository credentials by container name (keys verbatim): each a Secrets Manager CreateSecret input. */
const credentials = mapOf(sdkShape<CreateSecretCommandInput>(CreateSecretRequest$))
const tags = listOf(sdkShape<EcsTag>(EcsTag$))

/** POST /services: everything one service needs, created where missing. */
export const ServiceCreateBody = struct(
  {
    cluster: sdkShape<CreateClusterCommandInput>(CreateClusterRequest$),
    taskDefinition,
    service: sdkShape<EcsCreateServiceInput>(EcsCreateServiceRequest$),
    serviceRegistry: sdkShape<CloudMapCreateServiceInput>(CloudMapCreateServiceRequest$),
    credentials,
    tags,
  },
  'ServiceCreateBody',
)

/** PUT /services/{service}: any combination of a new task definition, credentials, service parameters and tags. */
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

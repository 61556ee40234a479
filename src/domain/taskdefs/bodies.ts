/**
 * Codec shapes of the task-definition bodies (the original's TaskDefCreateOrchestrationInput and
 * TaskDefUpdateOrchestrationInput): keys in any case, map keys verbatim, decoded by the use cases.
 */
import type { CreateClusterCommandInput, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import { CreateClusterRequest$, RegisterTaskDefinitionRequest$ } from '../../aws/sdk/ecs.js'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { CreateSecretRequest$, Tag$ as KeyValueTag$ } from '../../aws/sdk/secrets-manager.js'
import { listOf, mapOf, scalar, sdkShape, struct } from '../../codec/index.js'
import type { Tag } from '../../core/tags.js'

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

import type { JsonValue } from '../../codec/index.js'
import { decode } from '../../codec/index.js'
import { TaskDefCreateBody } from './bodies.js'
import { createRepositoryCredentials } from '../../workflows/steps/create-repository-credentials.js'
import { ensureCluster } from '../../workflows/steps/ensure-cluster.js'
import { registerTaskDefinition } from '../../workflows/steps/register-task-definition.js'
import { spaceScope } from '../../workflows/steps/space-scope.js'
import { startSpaceReadsNext } from '../../workflows/steps/space-reads.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { createTaskDefinitionWorkflow, type TaskDefinitionCreateScope as CreateScope } from '../../workflows/task-definition-create.js'
import { InputError } from '../../core/errors.js'
import { findReusableCluster } from '../../core/clusters.js'
import { checkTags, MAX_ECS_CLIENT_TAGS } from '../../core/tags.js'
import type { TaskDefContext } from './context.js'
import { assertFamilyFree } from './family-check.js'
import { clusterJson, credentialsJson, taskDefinitionJson } from './responses.js'
import { requireClusterName, validateCredentials, validateTaskDefinition } from './validate.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { runOptions } from '../use-case-context.js'
import { exclusivelyInSpace } from '../space-lease.js'

export interface CreatedTaskDefinition {
  Cluster: JsonValue
  Credentials: Record<string, JsonValue> | null
  TaskDefinition: JsonValue
}

/** Reads and checks the whole body; nothing in AWS has been touched when this throws. */
export function readBody(ctx: TaskDefContext, body: unknown): CreateScope {
  const { value } = decode(TaskDefCreateBody, body)
  if (!value.cluster) throw new InputError('cluster is required')
  const clusterName = requireClusterName(value.cluster.clusterName, 'cluster.clusterName')
  checkTags(value.tags, { field: 'tags', max: MAX_ECS_CLIENT_TAGS })
  const secretPrefix = credentialSecretPrefix(ctx.org, clusterName)
  validateTaskDefinition(value.taskDefinition, { path: 'taskDefinition', secretPrefix })
  validateCredentials(value.credentials, value.taskDefinition.containerDefinitions ?? [], {
    path: 'credentials',
    secretPrefix,
  })
  return {
    // Tags naming another org are refused (403) here.
    ...spaceScope({ account: ctx.account, org: ctx.org, clusterName, flavor: 'task', clientTags: value.tags }),
    cluster: value.cluster,
    credentials: value.credentials,
    taskDefinition: value.taskDefinition,
    leftovers: [],
  }
}

/** POST /taskdefs: the create orchestration; on failure everything it made is rolled back and reported. */
export async function createTaskDefinition(ctx: TaskDefContext, body: unknown): Promise<CreatedTaskDefinition> {
  const request = readBody(ctx, body)
  // Checks and changes take turns with the space's other changes (see space-lease.ts).
  return exclusivelyInSpace(ctx, request.clusterName, async () => {
    // Read-only checks, still before the first write: a cluster of another org is a 404 (reported
    // first), a family used elsewhere a 409.
    const pending = Promise.allSettled([
      findReusableCluster(ctx.ecs, request.clusterName, ctx.org),
      assertFamilyFree(ctx.ecs, request.taskDefinition.family ?? '', { org: ctx.org, cluster: request.clusterName, flavor: 'task' }),
    ])
    // The role and log group steps' lookups start beside the checks (reads only), after them so
    // that the checks' calls, which the whole run waits for, leave and are answered first.
    const reads = await startSpaceReadsNext(request)
    const checks = await pending
    for (const check of checks) if (check.status === 'rejected') throw check.reason
    const [clusterCheck] = checks
    // The cluster step takes this lookup instead of describing the cluster a second time.
    const scope: CreateScope = { ...request, clusterLookup: { found: clusterCheck.status === 'fulfilled' ? clusterCheck.value : undefined } }
    const result = await createTaskDefinitionWorkflow.run(scope, { ...runOptions(ctx), reads }).catch((err: unknown) =>
      // What the rollback could not undo goes to a tracked operation that the error names.
      handOverLeftovers(ctx, scope, err, { taskDefinition: scope.taskDefinition.family }),
    )
    return {
      Cluster: clusterJson(result.outputOf(ensureCluster)),
      Credentials: credentialsJson(result.outputOf(createRepositoryCredentials).results),
      TaskDefinition: taskDefinitionJson(result.outputOf(registerTaskDefinition).taskDefinition),
    }
  })
}

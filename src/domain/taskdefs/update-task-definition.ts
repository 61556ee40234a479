import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs'
import type { CreateSecretResponse, PutSecretValueResponse } from '@aws-sdk/client-secrets-manager'
import { decode, type JsonValue, type ShapeType } from '../../codec/index.js'
import { TaskDefUpdateBody } from './bodies.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { updateRepositoryCredentials } from '../../workflows/steps/update-repository-credentials.js'
import {
  applyTaskDefinitionTags,
  registerUpdatedTaskDefinition,
  tagTargets,
  updateTaskDefinitionWorkflow,
  type TaskDefinitionUpdateScope as UpdateScope,
} from '../../workflows/task-definition-update.js'
import { InputError } from '../../core/errors.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { checkTags, cleanedTags, fromEcsTags, MAX_ECS_CLIENT_TAGS, type Tag } from '../../core/tags.js'
import { applySpaceTags } from '../../workflows/resources/apply-tags.js'
import type { TaskDefContext } from './context.js'
import { planCredentialUpdate, withCurrentCredentials, withoutRepositoryCredentials, type CredentialsPlan } from '../../workflows/resources/credentials-update-plan.js'
import { requireOrgTaskDefinition } from './org-task-definition.js'
import { clusterJson, credentialsJson, taskDefinitionJson } from './responses.js'
import { retireSecrets } from '../../workflows/resources/retire-secrets.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { validateCredentials, validateTaskDefinition } from './validate.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { runOptions } from '../use-case-context.js'

export interface UpdatedTaskDefinition {
  Cluster: JsonValue
  TaskDefinition: JsonValue
  Credentials: Record<string, JsonValue> | null
  CloudwatchLogGroups: string[]
  Tags: Tag[]
  /** Secrets the new revision no longer uses that could not be deleted (only present when some). */
  CredentialsNotDeleted?: string[]
}

type UpdateBody = ShapeType<typeof TaskDefUpdateBody>

/**
 * The checks of the body that need no AWS call (the caller has done them before reading anything).
 * Tags of another org are a 403 here.
 */
export function checkBody(ctx: TaskDefContext, cluster: string, body: UpdateBody): Tag[] | undefined {
  checkTags(body.tags, { field: 'tags', max: MAX_ECS_CLIENT_TAGS })
  if (body.credentials && !body.taskDefinition) {
    throw new InputError('credentials can only be changed together with a taskDefinition')
  }
  return body.tags ? cleanedTags(body.tags, ctx.org, cluster, 'task') : undefined
}

/**
 * The new revision's definition, checked against the current one: the path names the family, a
 * task size left out stays the current revision's, and each container references the secret the
 * credentials rule gives it (see `planCredentialUpdate`).
 */
export function newDefinition(body: UpdateBody, current: TaskDefinition, prefix: string): RegisterTaskDefinitionCommandInput | undefined {
  if (!body.taskDefinition) return undefined
  const family = current.family ?? ''
  if (body.taskDefinition.family !== undefined && body.taskDefinition.family !== family) {
    throw new InputError(`taskDefinition.family must be ${family}, the family of the path`)
  }
  const currentContainers = current.containerDefinitions ?? []
  const td = {
    cpu: current.cpu,
    memory: current.memory,
    ...body.taskDefinition,
    family,
    // The update rule of repository credentials (shared with the service update).
    containerDefinitions: withCurrentCredentials(currentContainers, body.taskDefinition.containerDefinitions ?? []),
  }
  // A container may keep naming the secret the current revision gives it, wherever that lives.
  const currentArns = new Set(currentContainers.flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? []))
  validateTaskDefinition(td, { path: 'taskDefinition', secretPrefix: prefix, allowedSecretArns: currentArns })
  validateCredentials(body.credentials, td.containerDefinitions ?? [], { path: 'credentials', secretPrefix: prefix })
  return td
}

/**
 * PUT /clusters/{cluster}/taskdefs/{taskdef}: with a taskDefinition, registers a new revision (role,
 * log group and credentials as on create) and tags everything; without, re-applies the tags given or
 * the current ones. Secrets the new revision no longer uses are deleted only after it is registered;
 * a failure before that rolls back the secrets and revision this request made.
 */
export async function updateTaskDefinition(ctx: TaskDefContext, cluster: string, taskdef: string, body: unknown): Promise<UpdatedTaskDefinition> {
  // Takes turns with the space's other changes (see space-lease.ts).
  return exclusivelyInSpace(ctx, cluster, () => update(ctx, cluster, taskdef, body))
}

async function update(ctx: TaskDefContext, cluster: string, taskdef: string, body: unknown): Promise<UpdatedTaskDefinition> {
  const ref = parseTaskDefinitionRef(taskdef)
  const prefix = credentialSecretPrefix(ctx.org, cluster)
  const { value } = decode(TaskDefUpdateBody, body)
  const givenTags = checkBody(ctx, cluster, value)
  const [found, current] = await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  const currentContainers = current.taskDefinition.containerDefinitions ?? []
  const newTaskDefinition = newDefinition(value, current.taskDefinition, prefix)
  const tags: Tag[] = givenTags ?? fromEcsTags(current.tags)
  const clusterArn = found.clusterArn ?? cluster

  let taskDefinition = current.taskDefinition
  let results: Record<string, CreateSecretResponse | PutSecretValueResponse> = {}
  let groups: string[]
  let notDeleted: string[] = []
  if (newTaskDefinition) {
    const containers = newTaskDefinition.containerDefinitions ?? []
    const plan: CredentialsPlan = planCredentialUpdate(currentContainers, containers, value.credentials, prefix)
    const scope: UpdateScope = {
      account: ctx.account,
      org: ctx.org,
      clusterName: cluster,
      flavor: 'task',
      tags,
      clusterArn,
      credentialsPlan: plan,
      taskDefinition: { ...newTaskDefinition, containerDefinitions: withoutRepositoryCredentials(containers) },
      leftovers: [],
    }
    const run = await updateTaskDefinitionWorkflow.run(scope, runOptions(ctx)).catch((err: unknown) =>
      handOverLeftovers(ctx, scope, err, { taskDefinition: newTaskDefinition.family }),
    )
    taskDefinition = run.outputOf(registerUpdatedTaskDefinition).taskDefinition
    results = run.outputOf(updateRepositoryCredentials).results
    groups = run.outputOf(applyTaskDefinitionTags)
    notDeleted = await retireSecrets(ctx.account, ctx.org, prefix, plan.retire)
  } else {
    groups = await applySpaceTags(ctx.account, tagTargets(cluster, clusterArn, taskDefinition), tags)
  }
  return {
    Cluster: clusterJson(found),
    TaskDefinition: taskDefinitionJson(taskDefinition),
    Credentials: credentialsJson(results),
    CloudwatchLogGroups: groups,
    Tags: tags,
    ...(notDeleted.length > 0 ? { CredentialsNotDeleted: notDeleted } : {}),
  }
}

import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import { defineWorkflow, type RunOptions, type Step, type Workflow } from './engine.js'
import { defineStep, type StepContext, type StepRef } from './step.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinitionStep, type TaskDefinitionScope } from './steps/register-task-definition.js'
import type { SpaceScope } from './steps/space-scope.js'
import { awslogsGroups, TAG_SERVICE_RESOURCES_STEP, type TagScope } from './steps/tag-service-resources.js'
import { UPDATE_ECS_SERVICE_STEP, updateEcsServiceStep, type ServiceUpdateScope } from './steps/update-ecs-service.js'
import type { RepositoryCredentials } from './steps/create-repository-credentials.js'
import { updateRepositoryCredentials, type CredentialsUpdateScope } from './steps/update-repository-credentials.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'
import { applySpaceTags } from './resources/apply-tags.js'
import { taskExecutionRoleName } from './resources/execution-role-policy.js'

/**
 * The service-update workflow, assembled for what a request asks: a new revision (role and log group
 * ensured, credentials updated, then registered), the service update, and the tags, in that order.
 * What the rollback of a failed update cannot undo is remembered in `leftovers` for a tracked
 * operation to finish.
 */

export const UPDATE_SERVICE_WORKFLOW = 'update-service'

export interface UpdateScope extends SpaceScope, ServiceUpdateScope, TagScope, LeftoverScope {
  readonly clusterObject: Cluster
  readonly current: Service
  /** The task definition the service runs now. */
  readonly currentTaskDefinition: TaskDefinition
}

export type UpdateWithTaskDefinitionScope = UpdateScope & TaskDefinitionScope & CredentialsUpdateScope

export interface UpdateParts {
  /** Register a new revision (the scope then is an `UpdateWithTaskDefinitionScope`). */
  newTaskDefinition: boolean
  /** Call UpdateService (a new revision, service parameters or a redeploy). */
  updateService: boolean
  /** Tags were given: propagate them. */
  tag: boolean
}

export const registerRevision = registerTaskDefinitionStep(updateRepositoryCredentials)

type AnyStep = Step<unknown, unknown, UpdateWithTaskDefinitionScope>

/** Output of the tag step: ARNs of the log groups tagged. */
export interface TaggedResources {
  logGroups: string[]
}

/**
 * The log group ARNs a new revision's `ensure-log-group` step returned, by name (empty without one):
 * the tag step and the answer need not look them up again.
 */
export function ensuredLogGroups(newTaskDefinition: boolean, outputs: { outputOf<O>(ref: StepRef<O>): O }): Map<string, string> {
  const group = newTaskDefinition ? outputs.outputOf(ensureLogGroup) : undefined
  return new Map(group?.logGroupArn ? [[group.logGroupName, group.logGroupArn]] : [])
}

/**
 * Step `tag-service-resources` of an update: the request's tags on the task definition the service
 * runs afterwards, its secrets and the service (one TagResources call), and on the space's shared
 * resources in their shared form (another, and the role's TagRole).
 * The role and log group a new revision's steps just ensured are not looked up again. It only adds or
 * overwrites tags, so there is nothing to undo; if it fails, the steps before it are rolled back.
 */
function tagStep(parts: UpdateParts, dependsOn: readonly AnyStep[]): Step<TaggedResources, never, UpdateWithTaskDefinitionScope> {
  const ensured = parts.newTaskDefinition ? [ensureTaskExecutionRole, ensureLogGroup] : []
  return defineStep({
    id: TAG_SERVICE_RESOURCES_STEP,
    dependsOn: [...ensured, ...dependsOn],
    noCompensation: true,
    async invoke(ctx: StepContext<UpdateWithTaskDefinitionScope>) {
      const { account, tags, clusterName, clusterObject, current } = ctx.scope
      const td = parts.newTaskDefinition ? ctx.outputOf(registerRevision).taskDefinition : ctx.scope.currentTaskDefinition
      const logGroups = await applySpaceTags(
        account,
        {
          clusterArn: clusterObject.clusterArn ?? clusterName,
          clusterName,
          roleName: taskExecutionRoleName(clusterName),
          logGroupNames: awslogsGroups(td),
          taskDefinitionArn: td.taskDefinitionArn ?? '',
          secretArns: (td.containerDefinitions ?? []).flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? []),
          serviceArn: current.serviceArn ?? '',
          known: { logGroupArns: ensuredLogGroups(parts.newTaskDefinition, ctx), roleExists: parts.newTaskDefinition },
        },
        tags,
      )
      return { output: { logGroups } }
    },
  })
}

export function updateServiceWorkflow(parts: UpdateParts): Workflow<UpdateWithTaskDefinitionScope> {
  const steps: AnyStep[] = []
  const revision = parts.newTaskDefinition ? [registerRevision] : []
  if (parts.newTaskDefinition) {
    steps.push(ensureTaskExecutionRole, ensureLogGroup, updateRepositoryCredentials, registerRevision)
  }
  const serviceStep = parts.updateService
    ? updateEcsServiceStep<UpdateWithTaskDefinitionScope>({
        dependsOn: revision,
        taskDefinition: (ctx) =>
          parts.newTaskDefinition ? ctx.outputOf(registerRevision).taskDefinition.taskDefinitionArn : undefined,
      })
    : undefined
  if (serviceStep) steps.push(serviceStep)
  if (parts.tag) {
    steps.push(tagStep(parts, [...revision, ...(serviceStep ? [serviceStep] : [])] as AnyStep[]))
  }
  return defineWorkflow<UpdateWithTaskDefinitionScope>(UPDATE_SERVICE_WORKFLOW, rememberingLeftovers(steps))
}

/** What a service update did, for its answer. */
export interface ServiceUpdated {
  /** The revision the service runs now: the new one, or the one it ran. */
  taskDefinition: TaskDefinition
  /** The repository credentials written, with a new revision. */
  credentials: RepositoryCredentials | undefined
  /** The service as UpdateService answered it, when it was called. */
  service: Service | undefined
  /** ARNs of the log groups the tag step tagged, when tags were given. */
  taggedLogGroups: string[] | undefined
  /** Log group ARNs a new revision's steps ensured, by name (not looked up again). */
  ensuredLogGroups: Map<string, string>
}

/** Runs the update `parts` asks for; throws `WorkflowFailedError` after the rollback when a step fails. */
export async function runServiceUpdate(
  parts: UpdateParts,
  scope: UpdateWithTaskDefinitionScope,
  options: RunOptions,
): Promise<ServiceUpdated> {
  const run = await updateServiceWorkflow(parts).run(scope, options)
  return {
    taskDefinition: parts.newTaskDefinition ? run.outputOf(registerRevision).taskDefinition : scope.currentTaskDefinition,
    credentials: parts.newTaskDefinition ? run.outputOf(updateRepositoryCredentials) : undefined,
    service: run.outputs.get(UPDATE_ECS_SERVICE_STEP) as Service | undefined,
    taggedLogGroups: (run.outputs.get(TAG_SERVICE_RESOURCES_STEP) as TaggedResources | undefined)?.logGroups,
    ensuredLogGroups: ensuredLogGroups(parts.newTaskDefinition, run),
  }
}

import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import { defineWorkflow, type Step, type Workflow } from '../../workflows/engine.js'
import { ensureLogGroup } from '../../workflows/steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from '../../workflows/steps/ensure-task-execution-role.js'
import { registerTaskDefinitionStep, type TaskDefinitionScope } from '../../workflows/steps/register-task-definition.js'
import type { SpaceScope } from '../../workflows/steps/space-scope.js'
import { tagServiceResourcesStep, type TagScope } from '../../workflows/steps/tag-service-resources.js'
import { updateEcsServiceStep, type ServiceUpdateScope } from '../../workflows/steps/update-ecs-service.js'
import {
  updateRepositoryCredentials,
  type CredentialsUpdateScope,
} from '../../workflows/steps/update-repository-credentials.js'
import { rememberingLeftovers, type LeftoverScope } from '../cleanup/finish-rollback.js'

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
    steps.push(
      tagServiceResourcesStep<UpdateWithTaskDefinitionScope>({
        dependsOn: [...revision, ...(serviceStep ? [serviceStep] : [])],
        taskDefinition: (ctx) =>
          parts.newTaskDefinition ? ctx.outputOf(registerRevision).taskDefinition : ctx.scope.currentTaskDefinition,
      }),
    )
  }
  return defineWorkflow<UpdateWithTaskDefinitionScope>(UPDATE_SERVICE_WORKFLOW, rememberingLeftovers(steps))
}

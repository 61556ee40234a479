import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { defineStep, defineWorkflow, type StepContext } from './engine.js'
import { applySpaceTags, type SpaceTagTargets } from './resources/apply-tags.js'
import { taskExecutionRoleName } from './resources/execution-role-policy.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinitionStep, type TaskDefinitionScope } from './steps/register-task-definition.js'
import { updateRepositoryCredentials, type CredentialsUpdateScope } from './steps/update-repository-credentials.js'

export type TaskDefinitionUpdateScope = CredentialsUpdateScope & TaskDefinitionScope & LeftoverScope & { readonly clusterArn: string }

/** What the tags of a task definition's space go on: its cluster, role, log groups, revision and secrets. */
export function tagTargets(clusterName: string, clusterArn: string, td: TaskDefinition): SpaceTagTargets {
  const containers = td.containerDefinitions ?? []
  return {
    clusterArn,
    clusterName,
    roleName: taskExecutionRoleName(clusterName),
    logGroupNames: containers.flatMap((c) => c.logConfiguration?.options?.['awslogs-group'] ?? []),
    taskDefinitionArn: td.taskDefinitionArn ?? '',
    secretArns: containers.flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? []),
  }
}

export const registerUpdatedTaskDefinition = registerTaskDefinitionStep(updateRepositoryCredentials)

/** Last, after the revision exists: tag it, its secrets and the space's shared resources. */
export const applyTaskDefinitionTags = defineStep({
  id: 'apply-tags',
  dependsOn: [registerUpdatedTaskDefinition, updateRepositoryCredentials, ensureLogGroup],
  async invoke(ctx: StepContext<TaskDefinitionUpdateScope>) {
    const { taskDefinition } = ctx.outputOf(registerUpdatedTaskDefinition)
    const targets = tagTargets(ctx.scope.clusterName, ctx.scope.clusterArn, taskDefinition)
    const groups = await applySpaceTags(ctx.scope.account, targets, ctx.scope.tags)
    return { output: groups }
  },
  // Tags are re-applied by the next update; there is no earlier state worth restoring.
  noCompensation: true,
})

/** A new revision: role and log group as on create, credentials by the update plan, then tags. */
export const updateTaskDefinitionWorkflow = defineWorkflow<TaskDefinitionUpdateScope>(
  'update-task-definition',
  rememberingLeftovers<TaskDefinitionUpdateScope>([
    ensureTaskExecutionRole,
    ensureLogGroup,
    updateRepositoryCredentials,
    registerUpdatedTaskDefinition,
    applyTaskDefinitionTags,
  ]),
)

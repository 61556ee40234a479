/**
 * Step `tag-service-resources`: puts a service update's tags on everything the service is made of:
 * its task definition, credential secrets and the space's shared resources (cluster, log groups,
 * role, in their shared form) as a task-definition update does, and the service itself. The org tag
 * keeps its value: the tags were cleaned for this org.
 *
 * It is the last step of an update and only adds or overwrites tags, so there is nothing to undo; if
 * it fails, the steps before it are rolled back.
 */
import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { logGroupArn, logGroupsApi } from '../../aws/logs-groups.js'
import { mapWithConcurrency } from '../../domain/concurrency.js'
import { applySpaceTags } from '../../domain/taskdefs/apply-tags.js'
import { taskExecutionRoleName } from '../../domain/taskdefs/execution-role-policy.js'
import { toEcsTags, type Tag } from '../../domain/tags.js'
import { defineStep, type StepContext, type StepRef } from '../step.js'

export const TAG_SERVICE_RESOURCES_STEP = 'tag-service-resources'

export interface TagScope {
  readonly account: Account
  readonly clusterName: string
  readonly tags: readonly Tag[]
  readonly clusterObject: Cluster
  readonly current: Service
}

export interface TagInputs<Scope> {
  readonly dependsOn: readonly StepRef<unknown>[]
  /** The task definition the service runs after the update. */
  taskDefinition(ctx: StepContext<Scope>): TaskDefinition
}

/** Log group names the containers' awslogs options write to, once each. */
export function awslogsGroups(td: TaskDefinition): string[] {
  const names = (td.containerDefinitions ?? []).flatMap((c) => {
    const group = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options?.['awslogs-group'] : undefined
    return group ? [group] : []
  })
  return [...new Set(names)]
}

/** ARNs (without `:*`) of the log groups the task definition writes to; groups that do not exist are left out. */
export async function awslogsGroupArns(account: Account, td: TaskDefinition): Promise<string[]> {
  const logs = logGroupsApi(account.clients.logs)
  const groups = await mapWithConcurrency(awslogsGroups(td), (name) => logs.find(name))
  return groups.flatMap((g) => {
    const arn = g ? logGroupArn(g) : undefined
    return arn ? [arn] : []
  })
}

export function tagServiceResourcesStep<Scope extends TagScope>(inputs: TagInputs<Scope>) {
  return defineStep({
    id: TAG_SERVICE_RESOURCES_STEP,
    dependsOn: inputs.dependsOn,
    noCompensation: true,
    async invoke(ctx: StepContext<Scope>) {
      const { account, tags, clusterName, clusterObject, current } = ctx.scope
      const td = inputs.taskDefinition(ctx)
      const containers = td.containerDefinitions ?? []
      const logGroups = await applySpaceTags(
        account,
        {
          clusterArn: clusterObject.clusterArn ?? clusterName,
          clusterName,
          roleName: taskExecutionRoleName(clusterName),
          logGroupNames: awslogsGroups(td),
          taskDefinitionArn: td.taskDefinitionArn ?? '',
          secretArns: containers.flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? []),
        },
        tags,
      )
      await ecsApi(account.clients.ecs).tagResource(current.serviceArn ?? '', toEcsTags(tags))
      return { output: { logGroups } }
    },
  })
}

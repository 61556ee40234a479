/**
 * What the `tag-service-resources` step of a service update works with (the step itself is built in
 * src/domain/services/update-workflow.ts): its id, its scope, and the log groups a task definition
 * writes to.
 */
import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import type { Tag } from '../../core/tags.js'

export const TAG_SERVICE_RESOURCES_STEP = 'tag-service-resources'

export interface TagScope {
  readonly account: Account
  readonly clusterName: string
  readonly tags: readonly Tag[]
  readonly clusterObject: Cluster
  readonly current: Service
}

/** Log group names the containers' awslogs options write to, once each. */
export function awslogsGroups(td: TaskDefinition): string[] {
  const names = (td.containerDefinitions ?? []).flatMap((c) => {
    const group = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options?.['awslogs-group'] : undefined
    return group ? [group] : []
  })
  return [...new Set(names)]
}

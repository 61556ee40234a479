import { ORG_TAG, SPACE_TAG } from '../../core/tags.js'
import { managedFamilies } from '../../workflows/cleanup/managed-families.js'
import { taskExecutionRoleName } from '../../workflows/resources/execution-role-policy.js'
import {
  clusterHome,
  schedulerPolicy,
  schedulerRoleDescription,
  schedulerRoleName,
  schedulerTrustPolicy,
  spaceTaskRoleArn,
} from '../../workflows/resources/scheduling.js'
import type { ScheduleScope } from '../../workflows/steps/schedule-scope.js'
import { networkOf } from '../tasks/task-launch.js'
import type { ScheduleContext } from './context.js'
import { scheduleDefinition } from './definition.js'
import type { ScheduleInput } from './schedule-input.js'
import type { ScheduleTarget } from './space-schedules.js'

/**
 * The scope of a schedule workflow, from checked input and target (read-only calls only): the
 * group and its tags, the cluster's scheduler role with the policy for the space's families as they
 * are now (the scheduled one included, whatever the tagging index says yet), and the definition.
 */
export async function scheduleScope(ctx: ScheduleContext, input: ScheduleInput, target: ScheduleTarget): Promise<ScheduleScope> {
  const clusterArn = target.cluster.clusterArn ?? ''
  const home = clusterHome(clusterArn)
  const families = await managedFamilies(ctx.account, ctx.ecs, ctx.org, target.clusterName)
  const taskDefinitionArn = target.taskDefinition.taskDefinition.taskDefinitionArn ?? target.ref.ref
  return {
    account: ctx.account,
    org: ctx.org,
    clusterName: target.clusterName,
    groupName: target.groupName,
    tags: [
      { Key: ORG_TAG, Value: ctx.org },
      { Key: SPACE_TAG, Value: target.clusterName },
    ],
    role: {
      name: schedulerRoleName(target.clusterName),
      description: schedulerRoleDescription(ctx.org, target.clusterName),
      trustPolicy: schedulerTrustPolicy(home),
      policy: schedulerPolicy(home, [...families, target.ref.family], [spaceTaskRoleArn(home, taskExecutionRoleName(target.clusterName))]),
    },
    schedule: scheduleDefinition(input, {
      groupName: target.groupName,
      clusterArn,
      taskDefinitionArn,
      // The account's subnets and security groups; a public IP only where the account allows it.
      network: networkOf(ctx, undefined),
    }),
    leftovers: [],
  }
}

import type { NetworkConfiguration } from '@aws-sdk/client-ecs'
import type { ScheduleScope } from '../../workflows/steps/schedule-scope.js'
import type { ScheduleInput } from './schedule-input.js'

/**
 * The Scheduler definition of a schedule (all but the role, which the workflow's role step gives):
 * a templated ECS RunTask target on the cluster with the pinned revision, Fargate, the account's
 * network, tags managed and propagated like the run route's, and the task override as the target's
 * input. An `at` schedule is kept after it ran, so its answer still shows it.
 */
export function scheduleDefinition(
  input: ScheduleInput,
  target: { groupName: string; clusterArn: string; taskDefinitionArn: string; network: NetworkConfiguration },
): ScheduleScope['schedule'] {
  const vpc = target.network.awsvpcConfiguration
  return {
    Name: input.name,
    GroupName: target.groupName,
    ScheduleExpression: input.expression.text,
    ScheduleExpressionTimezone: input.timezone,
    State: input.enabled ? 'ENABLED' : 'DISABLED',
    ...(input.description !== undefined ? { Description: input.description } : {}),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ...(input.expression.kind === 'at' ? { ActionAfterCompletion: 'NONE' as const } : {}),
    Target: {
      Arn: target.clusterArn,
      EcsParameters: {
        TaskDefinitionArn: target.taskDefinitionArn,
        TaskCount: input.count,
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          awsvpcConfiguration: {
            Subnets: [...(vpc?.subnets ?? [])],
            SecurityGroups: [...(vpc?.securityGroups ?? [])],
            AssignPublicIp: vpc?.assignPublicIp ?? 'DISABLED',
          },
        },
        EnableECSManagedTags: true,
        PropagateTags: 'TASK_DEFINITION',
      },
      ...(input.overrides !== undefined ? { Input: JSON.stringify(input.overrides) } : {}),
    },
  }
}

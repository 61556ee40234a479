/**
 * What the schedules of a space share: its schedule group (one per space, tagged with org and
 * space) and the role the scheduler assumes to start tasks (one per cluster, with an inline policy
 * that allows only the space's families in that cluster and passing only the space's task role).
 */
import { createHash } from 'node:crypto'
import { ORG_TAG, SPACE_TAG, type Tag } from '../../core/tags.js'
import type { PolicyDocument } from './execution-role-policy.js'

/** Scheduler group names: 1-64 of letters, digits, `-`, `_` and `.`. */
const MAX_GROUP_NAME = 64

/**
 * The space's group: `spinup.<org>.<cluster>`. Cluster names hold no `.`, so the last `.` splits
 * org and space unambiguously. A name too long for Scheduler keeps its start and ends in a hash of
 * the whole, so it stays one per space.
 */
export function scheduleGroupName(org: string, cluster: string): string {
  const name = `spinup.${org}.${cluster}`
  if (name.length <= MAX_GROUP_NAME) return name
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12)
  return `${name.slice(0, MAX_GROUP_NAME - hash.length - 1)}-${hash}`
}

export function scheduleGroupTags(org: string, cluster: string): Tag[] {
  return [
    { Key: ORG_TAG, Value: org },
    { Key: SPACE_TAG, Value: cluster },
  ]
}

/** Whether a group's tags put it in the org's space: anything else is invisible to this API. */
export function isSpaceGroup(tags: readonly Tag[], org: string, cluster: string): boolean {
  const value = (key: string) => tags.find((t) => t.Key === key)?.Value
  return value(ORG_TAG) === org && value(SPACE_TAG) === cluster
}

const ROLE_SUFFIX = '-ecsScheduler'
export const SCHEDULER_POLICY_NAME = 'ECSScheduledTaskPolicy'

export function schedulerRoleName(cluster: string): string {
  return `${cluster}${ROLE_SUFFIX}`
}

export function schedulerRoleDescription(org: string, cluster: string): string {
  return `EventBridge Scheduler role for the scheduled tasks of ${org}/${cluster}`
}

/** The parts of an ECS cluster ARN the policies are written with. */
export interface ClusterHome {
  partition: string
  region: string
  accountId: string
  clusterArn: string
}

export function clusterHome(clusterArn: string): ClusterHome {
  const [, partition = 'aws', , region = '', accountId = ''] = clusterArn.split(':')
  return { partition, region, accountId, clusterArn }
}

/** Only the scheduler service of this account may assume the role (no confused deputy). */
export function schedulerTrustPolicy(home: ClusterHome): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ['scheduler.amazonaws.com'] },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': [home.accountId] } },
      },
    ],
  })
}

/** The space's task execution role (it serves as task role too): the only role the scheduler may pass. */
export function spaceTaskRoleArn(home: ClusterHome, taskRoleName: string): string {
  return `arn:${home.partition}:iam::${home.accountId}:role/${taskRoleName}`
}

/**
 * RunTask of the space's families, in its cluster only; tagging the tasks it starts (managed and
 * propagated tags); passing the space's task role to ECS tasks only.
 */
export function schedulerPolicy(home: ClusterHome, families: readonly string[], passRoles: readonly string[]): PolicyDocument {
  const taskDefinitions = [...new Set(families)]
    .sort()
    .map((f) => `arn:${home.partition}:ecs:${home.region}:${home.accountId}:task-definition/${f}:*`)
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: taskDefinitions,
        Condition: { ArnEquals: { 'ecs:cluster': [home.clusterArn] } },
      },
      {
        Effect: 'Allow',
        Action: ['ecs:TagResource'],
        Resource: [`arn:${home.partition}:ecs:${home.region}:${home.accountId}:task/*`],
        Condition: { StringEquals: { 'ecs:CreateAction': ['RunTask'] } },
      },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [...new Set(passRoles)].sort(),
        Condition: { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } },
      },
    ],
  }
}

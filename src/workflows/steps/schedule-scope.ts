/**
 * What the schedule steps (ensure-schedule-group, ensure-scheduler-role, create-schedule,
 * update-schedule) read from a workflow's scope: the space, its group and role, and the schedule.
 */
import type { Target } from '@aws-sdk/client-scheduler'
import type { Account } from '../../aws/account-clients.js'
import type { ScheduleDefinition } from '../../aws/scheduler.js'
import type { Tag } from '../../core/tags.js'
import type { PolicyDocument } from '../resources/execution-role-policy.js'

export interface SchedulerRoleSpec {
  readonly name: string
  readonly description: string
  readonly trustPolicy: string
  /** The inline policy the role must have (rewritten when it grants something else). */
  readonly policy: PolicyDocument
}

export interface ScheduleScope {
  readonly account: Account
  readonly org: string
  readonly clusterName: string
  readonly groupName: string
  /** Org and space: the group's tags, and the role's when it is created. */
  readonly tags: readonly Tag[]
  readonly role: SchedulerRoleSpec
  /** The schedule to create or put, without the role, which the role step gives. */
  readonly schedule: Omit<ScheduleDefinition, 'Target'> & { Target: Omit<Target, 'RoleArn'> }
  /** What the rollback could not undo, to be handed to a tracked operation (see rollback-finish.ts). */
  readonly leftovers?: { step: string; compensation: unknown }[] | undefined
}

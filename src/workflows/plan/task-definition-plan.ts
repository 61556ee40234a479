import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import type { Tag, Flavor } from '../../core/tags.js'
import { taskDefinitionInput } from '../steps/register-task-definition.js'
import { comparableTaskDefinition, objectChange } from './object-changes.js'
import type { ObjectChange, PlanStep } from '../../core/plan/plan-types.js'

/**
 * The register-task-definition step of a plan: the input the step would send (the request's
 * definition with the space's role, log group and credentials forced in), compared with the
 * revision that runs now (or the family's latest).
 */
export interface TaskDefinitionPlan {
  step: PlanStep
  change: ObjectChange
  /** The RegisterTaskDefinition input the call would send. */
  input: RegisterTaskDefinitionCommandInput
  /** Whether the definition differs from the live one. */
  differs: boolean
}

export function planTaskDefinition(args: {
  account: Account
  org: string
  clusterName: string
  flavor: Flavor
  tags: readonly Tag[]
  forService?: string | undefined
  taskDefinition: RegisterTaskDefinitionCommandInput
  roleArn: string
  credentialArns: Readonly<Record<string, string>>
  live: TaskDefinition | undefined
}): TaskDefinitionPlan {
  const { account, org, clusterName, flavor, tags, forService, taskDefinition, roleArn, credentialArns, live } = args
  const input = taskDefinitionInput(
    { account, org, clusterName, flavor, tags, taskDefinition, forService },
    { roleArn, logGroupName: clusterName, credentialArns },
  )
  const change = objectChange('TaskDefinition.json', comparableTaskDefinition(live), comparableTaskDefinition(input, true))
  const differs = change.Patch.length > 0
  const family = input.family ?? ''
  const step: PlanStep = !live
    ? { Step: 'register-task-definition', Action: 'create', Resource: family, Detail: 'the first revision of the family' }
    : differs
      ? { Step: 'register-task-definition', Action: 'create', Resource: family, Detail: `a new revision after ${live.taskDefinitionArn ?? family}` }
      : {
          Step: 'register-task-definition',
          Action: 'reuse',
          Resource: live.taskDefinitionArn ?? family,
          Detail: 'the definition is the one that runs; the call registers it again as a new revision',
        }
  return { step, change, input, differs }
}

/** The ARN a new revision of `family` would get, where it is not known yet. */
export function newRevisionArn(liveArn: string | undefined, family: string): string {
  const base = liveArn?.replace(/task-definition\/.*$/, 'task-definition/')
  return `${base ?? ''}${family}:(new)`
}

import type { Cluster } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import { iamApi } from '../../aws/iam.js'
import { rolePolicyDocuments } from '../../aws/iam-role-policies.js'
import { logGroupArn, logGroupsApi } from '../../aws/logs-groups.js'
import type { NamedPolicy } from '../../core/iam-policy-evaluation.js'
import {
  parsePolicy,
  policiesEqual,
  TASK_EXECUTION_POLICY_NAME,
  taskExecutionPolicy,
  taskExecutionRoleName,
} from '../resources/execution-role-policy.js'
import type { CredentialsPlan } from '../resources/credentials-update-plan.js'
import { LOG_RETENTION_DAYS } from '../steps/ensure-log-group.js'
import type { NewCredential } from '../preflight/check-subject.js'
import type { PlanStep } from '../../core/plan/plan-types.js'

/**
 * The steps a change of a space shares (cluster, execution role and policy, log group, credential
 * secrets), planned with the reads their workflow steps make and no write.
 */

export function clusterStep(name: string, found: Cluster | undefined): PlanStep {
  return found
    ? { Step: 'ensure-cluster', Action: 'reuse', Resource: found.clusterArn ?? name }
    : { Step: 'ensure-cluster', Action: 'create', Resource: name, Detail: 'with the FARGATE and FARGATE_SPOT capacity providers' }
}

export interface RolePlan {
  step: PlanStep
  /** The role's ARN, or a placeholder naming it when it would be created. */
  roleArn: string
  /** The role's policy documents after the change (its inline policy as the step would write it). */
  policiesAfter: () => Promise<NamedPolicy[]>
}

/** The space's execution role and its policy, as `ensure-task-execution-role` would leave them. */
export async function planExecutionRole(account: Account, org: string, clusterName: string): Promise<RolePlan> {
  const iam = iamApi(account.clients.iam)
  const roleName = taskExecutionRoleName(clusterName)
  const wanted = taskExecutionPolicy(org, clusterName, account.config.defaultKmsKeyId)
  const ours: NamedPolicy = { source: TASK_EXECUTION_POLICY_NAME, document: wanted }
  const role = await iam.getRole(roleName)
  if (!role) {
    return {
      step: { Step: 'ensure-task-execution-role', Action: 'create', Resource: roleName, Detail: `with the inline policy ${TASK_EXECUTION_POLICY_NAME}` },
      roleArn: `arn:aws:iam::(new):role/${roleName}`,
      policiesAfter: () => Promise.resolve([ours]),
    }
  }
  const current = await iam.getRolePolicy(roleName, TASK_EXECUTION_POLICY_NAME)
  const same = current !== undefined && policiesEqual(parsePolicy(current), wanted)
  return {
    step: same
      ? { Step: 'ensure-task-execution-role', Action: 'reuse', Resource: role.Arn ?? roleName }
      : { Step: 'ensure-task-execution-role', Action: 'update', Resource: role.Arn ?? roleName, Detail: `its policy ${TASK_EXECUTION_POLICY_NAME} would be rewritten` },
    roleArn: role.Arn ?? roleName,
    policiesAfter: async () => {
      const live = (await rolePolicyDocuments(account.clients.iam, roleName)) ?? []
      return [...live.filter((p) => p.source !== TASK_EXECUTION_POLICY_NAME), ours]
    },
  }
}

/** The space's log group, as `ensure-log-group` would leave it. */
export async function planLogGroup(account: Account, clusterName: string): Promise<PlanStep> {
  const found = await logGroupsApi(account.clients.logs).find(clusterName)
  if (!found) return { Step: 'ensure-log-group', Action: 'create', Resource: clusterName, Detail: `retention ${LOG_RETENTION_DAYS} days` }
  const arn = logGroupArn(found) ?? clusterName
  return found.retentionInDays === LOG_RETENTION_DAYS
    ? { Step: 'ensure-log-group', Action: 'reuse', Resource: arn }
    : { Step: 'ensure-log-group', Action: 'update', Resource: arn, Detail: `retention ${found.retentionInDays ?? 'never expire'} -> ${LOG_RETENTION_DAYS} days` }
}

/** A secret name's ARN before it exists (Secrets Manager adds a random suffix on create). */
export function newSecretArn(account: Account, name: string): string {
  return `arn:aws:secretsmanager:${account.config.region}:(new):secret:${name}`
}

/** The secrets `create-repository-credentials` would create, one per entry. */
export function newCredentialSteps(names: Readonly<Record<string, string>>): PlanStep[] {
  return Object.entries(names).map(([container, name]) => ({
    Step: 'create-repository-credentials',
    Action: 'create',
    Resource: name,
    Detail: `repository credentials of container ${container}`,
  }))
}

/** The last part of a secret's name from its ARN (without Secrets Manager's random suffix). */
function lastNamePart(arn: string, fallback: string): string {
  const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn)?.[1] ?? arn
  return name.split('/').at(-1) || fallback
}

/** What `update-repository-credentials` would do with each container's secret. */
export function credentialUpdateSteps(plan: CredentialsPlan, account: Account): { steps: PlanStep[]; arns: Record<string, string> } {
  const steps: PlanStep[] = []
  const arns: Record<string, string> = {}
  for (const action of plan.actions) {
    const step = 'update-repository-credentials'
    if (action.kind === 'keep') {
      arns[action.container] = action.arn
      steps.push({ Step: step, Action: 'reuse', Resource: action.arn, Detail: `container ${action.container}` })
    } else if (action.kind === 'put') {
      arns[action.container] = action.arn
      steps.push({ Step: step, Action: 'update', Resource: action.arn, Detail: `a new value for container ${action.container}` })
    } else {
      const name = plan.prefix + (action.entry?.Name ?? (action.kind === 'create' ? action.container : lastNamePart(action.oldArn, action.container)))
      arns[action.container] = newSecretArn(account, name)
      steps.push({
        Step: step,
        Action: 'create',
        Resource: name,
        Detail: action.kind === 'create' ? `container ${action.container}` : `moves ${action.oldArn} into the space's path`,
      })
    }
  }
  for (const arn of plan.retire) steps.push({ Step: 'retire-secrets', Action: 'update', Resource: arn, Detail: 'deleted once the new revision is in use' })
  return { steps, arns }
}

/** The policy documents of the role a revision names as its execution role; undefined without one (or when IAM does not know it). */
export async function liveRolePolicies(account: Account, roleArn: string | undefined): Promise<NamedPolicy[] | undefined> {
  if (!roleArn) return undefined
  // `arn:aws:iam::<account>:role/<path/>name`, or a bare name.
  const name = roleArn.split('/').at(-1) ?? roleArn
  return rolePolicyDocuments(account.clients.iam, name)
}

/** The new values a credentials update would store, by container (what the image check logs in with). */
export function newCredentialValues(plan: CredentialsPlan): Record<string, NewCredential> {
  const out: Record<string, NewCredential> = {}
  for (const action of plan.actions) {
    if (action.kind === 'put') out[action.container] = { name: action.arn, ...action.value }
    else if (action.kind === 'create') out[action.container] = { name: plan.prefix + (action.entry.Name ?? action.container), ...action.entry }
    else if (action.kind === 'migrate' && action.entry) out[action.container] = { name: plan.prefix + (action.entry.Name ?? action.container), ...action.entry }
  }
  return out
}

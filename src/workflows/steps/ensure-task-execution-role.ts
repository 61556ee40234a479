/**
 * Step `ensure-task-execution-role`: the space's role `<cluster>-ecsTaskExecution` with its inline
 * policy `ECSTaskAccessPolicy`. A missing role is created (tagged with the run's tags); an existing
 * role keeps its tags and its policy is rewritten only when it grants something different. A role
 * that another request creates between our lookup and our create is reused like an existing one.
 *
 * Usage: list `ensureTaskExecutionRole` in a workflow whose scope is a `SpaceScope`. Output:
 * `{ roleArn, roleName }` (the ARN serves as both execution and task role). Rollback deletes the role
 * only if this run created it, else restores the policy this run overwrote or removes the one it added.
 */
import type { Role } from '@aws-sdk/client-iam'
import { iamApi } from '../../aws/iam.js'
import { UpstreamError } from '../../core/errors.js'
import { existingResourcesOf } from '../../core/existing-resources.js'
import {
  ASSUME_ROLE_POLICY,
  parsePolicy,
  policiesEqual,
  TASK_EXECUTION_POLICY_NAME,
  taskExecutionPolicy,
  taskExecutionRoleDescription,
  taskExecutionRoleName,
} from '../resources/execution-role-policy.js'
import { createRoleWithPolicy, type RoleCompensation } from '../resources/role-with-policy.js'
import { defineStep, type StepContext } from '../step.js'
import type { SpaceScope } from './space-scope.js'

export const ENSURE_TASK_EXECUTION_ROLE_STEP = 'ensure-task-execution-role'

export interface TaskExecutionRole {
  roleArn: string
  roleName: string
}

/**
 * The space's role as IAM has it when the run starts (undefined when missing): looked up once per
 * run, by this step and by the task definition step that names the role without waiting for it.
 */
export function lookUpTaskExecutionRole(ctx: Pick<StepContext<SpaceScope>, 'scope' | 'once'>): Promise<Role | undefined> {
  const roleName = taskExecutionRoleName(ctx.scope.clusterName)
  return ctx.once(`iam:GetRole:${roleName}`, () => iamApi(ctx.scope.account.clients.iam).getRole(roleName))
}

export const ensureTaskExecutionRole = defineStep({
  id: ENSURE_TASK_EXECUTION_ROLE_STEP,
  async invoke(ctx: StepContext<SpaceScope>) {
    const { scope } = ctx
    const iam = iamApi(scope.account.clients.iam)
    const roleName = taskExecutionRoleName(scope.clusterName)
    const wanted = taskExecutionPolicy(scope.org, scope.clusterName, scope.account.config.defaultKmsKeyId)
    const document = JSON.stringify(wanted)

    let existing = await lookUpTaskExecutionRole(ctx)
    let concurrent = false
    if (!existing) {
      const roleArn = await createRoleWithPolicy(
        iam,
        {
          name: roleName,
          path: '/',
          description: taskExecutionRoleDescription(scope.org, scope.clusterName),
          assumeRolePolicy: ASSUME_ROLE_POLICY,
          tags: scope.tags,
        },
        TASK_EXECUTION_POLICY_NAME,
        document,
      )
      if (roleArn !== undefined) {
        existingResourcesOf(scope.account)?.rememberRole(roleName)
        const compensation: RoleCompensation = { roleName, createdRole: true }
        return { output: { roleArn, roleName }, compensation }
      }
      // Another request of the space created it between our lookup and our create: reuse it.
      existing = await iam.getRole(roleName)
      if (!existing) throw new UpstreamError(`IAM role ${roleName} exists but IAM does not return it`)
      concurrent = true
    }
    existingResourcesOf(scope.account)?.rememberRole(roleName)
    const output: TaskExecutionRole = { roleArn: existing.Arn ?? '', roleName }
    const current = await iam.getRolePolicy(roleName, TASK_EXECUTION_POLICY_NAME)
    if (current !== undefined && policiesEqual(parsePolicy(current), wanted)) return { output, skipped: true as const }
    await iam.putRolePolicy(roleName, TASK_EXECUTION_POLICY_NAME, document)
    // A role just made by a concurrent request may not have its policy yet; its creator puts the
    // same document. Ours is not undone: removing it would take the policy from the creator's role.
    if (concurrent) return { output, skipped: true as const }
    const compensation: RoleCompensation = { roleName, createdRole: false, previousPolicy: current }
    return { output, compensation }
  },
  async compensate(undo: RoleCompensation, ctx) {
    const iam = iamApi(ctx.scope.account.clients.iam)
    if (undo.createdRole) {
      existingResourcesOf(ctx.scope.account)?.forgetRole(undo.roleName)
      return iam.deleteRole(undo.roleName)
    }
    if (undo.previousPolicy === undefined) return iam.deleteRolePolicy(undo.roleName, TASK_EXECUTION_POLICY_NAME)
    // The role may have been deleted meanwhile; then there is nothing to restore.
    if (!(await iam.getRole(undo.roleName))) return
    return iam.putRolePolicy(undo.roleName, TASK_EXECUTION_POLICY_NAME, undo.previousPolicy)
  },
})

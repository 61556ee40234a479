/**
 * Step `ensure-scheduler-role`: the cluster's role `<cluster>-ecsScheduler`, which only the
 * scheduler service may assume, with its inline policy `ECSScheduledTaskPolicy`. A missing role is
 * created (tagged with org and space); an existing one has its policy rewritten only when it grants
 * something else. A role that another request creates between our lookup and our create is reused.
 *
 * Output: `{ roleArn, roleName }`. Rollback deletes the role only if this run created it, else puts
 * back the policy this run overwrote (or removes the one it added).
 */
import { iamApi } from '../../aws/iam.js'
import { UpstreamError } from '../../core/errors.js'
import { parsePolicy, policiesEqual } from '../resources/execution-role-policy.js'
import { SCHEDULER_POLICY_NAME } from '../resources/scheduling.js'
import { createRoleWithPolicy, type RoleCompensation } from '../resources/role-with-policy.js'
import { defineStep, type StepContext } from '../step.js'
import type { ScheduleScope } from './schedule-scope.js'

export const ENSURE_SCHEDULER_ROLE_STEP = 'ensure-scheduler-role'

export const ensureSchedulerRole = defineStep({
  id: ENSURE_SCHEDULER_ROLE_STEP,
  async invoke(ctx: StepContext<ScheduleScope>) {
    const { scope } = ctx
    const iam = iamApi(scope.account.clients.iam)
    const roleName = scope.role.name
    const document = JSON.stringify(scope.role.policy)
    let existing = await iam.getRole(roleName)
    if (!existing) {
      const { role } = scope
      const roleArn = await createRoleWithPolicy(
        iam,
        { name: role.name, path: '/', description: role.description, assumeRolePolicy: role.trustPolicy, tags: scope.tags },
        SCHEDULER_POLICY_NAME,
        document,
      )
      if (roleArn !== undefined) {
        const compensation: RoleCompensation = { roleName, createdRole: true }
        return { output: { roleArn, roleName }, compensation }
      }
      existing = await iam.getRole(roleName)
      if (!existing) throw new UpstreamError(`IAM role ${roleName} exists but IAM does not return it`)
    }
    const output = { roleArn: existing.Arn ?? '', roleName }
    const current = await iam.getRolePolicy(roleName, SCHEDULER_POLICY_NAME)
    if (current !== undefined && policiesEqual(parsePolicy(current), scope.role.policy)) return { output, skipped: true as const }
    await iam.putRolePolicy(roleName, SCHEDULER_POLICY_NAME, document)
    const compensation: RoleCompensation = { roleName, createdRole: false, previousPolicy: current }
    return { output, compensation }
  },
  async compensate(undo: RoleCompensation, ctx) {
    const iam = iamApi(ctx.scope.account.clients.iam)
    if (undo.createdRole) return iam.deleteRole(undo.roleName)
    if (undo.previousPolicy === undefined) return iam.deleteRolePolicy(undo.roleName, SCHEDULER_POLICY_NAME)
    if (!(await iam.getRole(undo.roleName))) return
    return iam.putRolePolicy(undo.roleName, SCHEDULER_POLICY_NAME, undo.previousPolicy)
  },
})

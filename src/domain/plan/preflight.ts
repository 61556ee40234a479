import { UnprocessableError } from '../../core/errors.js'
import { failedChecks } from '../../workflows/preflight/run-checks.js'
import type { Plan } from '../../core/plan/plan-types.js'

/**
 * `verify=true` without a dry run: the call goes ahead only when no check of its plan failed;
 * otherwise 422 with the failed checks (`checks`), and nothing was written.
 */
export function requirePassingChecks(plan: Plan): void {
  const failed = failedChecks(plan.Checks ?? [])
  if (failed.length === 0) return
  const first = failed[0]
  const summary = failed.map((c) => `${c.Field}: ${c.Reason ?? c.Check}`).join('; ')
  throw new UnprocessableError(`preflight checks failed (${failed.length}): ${summary}`, {
    details: { checks: failed, ...(first ? { field: first.Field } : {}) },
  })
}

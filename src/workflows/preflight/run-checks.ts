import type { NamedPolicy } from '../../core/iam-policy-evaluation.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { messageOf, skipped, type CheckDeps, type CheckSubject } from './check-subject.js'
import { imageChecks } from './image-checks.js'
import { loadBalancerChecks } from './load-balancer-checks.js'
import { logGroupChecks } from './log-group-checks.js'
import { networkChecks } from './network-checks.js'
import { secretChecks } from './secret-checks.js'
import { taskSizeCheck } from './task-size-check.js'

/** A check whose AWS reads failed is reported skipped, not failed: nothing was found wrong. */
function couldNotCheck(check: string, field: string) {
  return (err: unknown): CheckResult[] => [skipped(check, '(all)', field, `could not be checked: ${messageOf(err)}`)]
}

/**
 * Runs every preflight check at once (they only read, and none needs another's answer), in a fixed
 * order of report: task size, images, secrets, repository credentials, log groups, network, load
 * balancers. The role's policies are read once, by whichever check asks first.
 */
export async function runChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult[]> {
  let policies: Promise<NamedPolicy[] | undefined> | undefined
  const shared: CheckSubject = { ...subject, rolePolicies: () => (policies ??= subject.rolePolicies()) }
  // Read the role's policies at once when a check will need them, beside the lookups of what they
  // are checked against, rather than after them. A failure is reported by the check that awaits it.
  const containers = subject.taskDefinition.containerDefinitions ?? []
  if (containers.some((c) => (c.secrets ?? []).length > 0 || c.repositoryCredentials?.credentialsParameter || (c.name && subject.newCredentials[c.name]))) {
    shared.rolePolicies().catch(() => undefined)
  }
  const groups = await Promise.all([
    Promise.resolve([taskSizeCheck(shared)]),
    Promise.all(imageChecks(shared, deps)),
    Promise.all(secretChecks(shared, deps)),
    Promise.all(logGroupChecks(shared, deps)),
    networkChecks(shared, deps).catch(couldNotCheck('network', 'service.networkConfiguration')),
    loadBalancerChecks(shared, deps).catch(couldNotCheck('load-balancer', 'service.loadBalancers')),
  ])
  return groups.flat()
}

/** The checks that failed. */
export function failedChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => c.Status === 'fail')
}

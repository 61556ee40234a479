import { logGroupsApi } from '../../aws/logs-groups.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { containerField, fail, messageOf, pass, skipped, type CheckDeps, type CheckSubject } from './check-subject.js'

/**
 * Each awslogs configuration: its group exists or will be created (by this request, or by ECS with
 * `awslogs-create-group`), and it logs to the account's region.
 */
export function logGroupChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult>[] {
  const logs = logGroupsApi(deps.account.clients.logs)
  const lookups = new Map<string, Promise<boolean>>()
  const exists = (name: string) => {
    let found = lookups.get(name)
    if (!found) {
      found = logs.find(name).then((g) => g !== undefined)
      lookups.set(name, found)
    }
    return found
  }
  const region = deps.account.config.region
  return (subject.taskDefinition.containerDefinitions ?? []).map(async (c, i) => {
    const field = containerField(i, 'logConfiguration')
    const config = c.logConfiguration
    if (config?.logDriver !== 'awslogs') return skipped('log-group', config?.logDriver ?? '(none)', field, 'not the awslogs driver')
    const options = config.options ?? {}
    const group = options['awslogs-group'] ?? ''
    if (!group) return fail('log-group', '(none)', `${field}.options.awslogs-group`, 'is required by the awslogs driver')
    const logRegion = options['awslogs-region']
    if (logRegion !== region) {
      return fail('log-group', group, `${field}.options.awslogs-region`, `is ${logRegion ?? '(none)'}, the account's region is ${region}`)
    }
    if (subject.logGroupsCreated.has(group)) return pass('log-group', group, field, 'created by this request')
    try {
      if (await exists(group)) return pass('log-group', group, field, 'exists')
    } catch (err) {
      return skipped('log-group', group, field, `could not be checked: ${messageOf(err)}`)
    }
    if (options['awslogs-create-group'] === 'true') return pass('log-group', group, field, 'created by ECS when the first task starts')
    return fail('log-group', group, field, `log group ${group} does not exist and awslogs-create-group is not set`)
  })
}

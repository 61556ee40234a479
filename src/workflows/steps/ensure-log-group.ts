/**
 * Step `ensure-log-group`: the space's CloudWatch Logs group `<cluster>` with 365-day retention. A
 * missing group is created with the run's tags; an existing one (found by exact name, not prefix)
 * only gets its retention set when it differs.
 *
 * Usage: list `ensureLogGroup` in a workflow whose scope is a `SpaceScope`. Output:
 * `{ logGroupName, logGroupArn }`. Rollback deletes the group only if this run created it, else puts
 * back the retention it changed.
 */
import { accountHome, type AccountHome } from '../../aws/account-home.js'
import { logGroupArn, logGroupsApi, type LogGroups } from '../../aws/logs-groups.js'
import { awsCodeOf } from '../../aws/translate-error.js'
import { UpstreamError } from '../../core/errors.js'
import { existingResourcesOf } from '../../core/existing-resources.js'
import { toTagMap } from '../../core/tags.js'
import { defineStep, StepFailedError, type StepContext } from '../step.js'
import type { SpaceScope } from './space-scope.js'

export const ENSURE_LOG_GROUP_STEP = 'ensure-log-group'
export const LOG_RETENTION_DAYS = 365

export interface SpaceLogGroup {
  logGroupName: string
  /** ARN without the trailing `:*`; empty in the rare case that it could not be built (see below). */
  logGroupArn: string
}

/** The space's log group: named after its cluster. */
export function spaceLogGroupName(scope: SpaceScope): string {
  return scope.clusterName
}

type LogGroupCompensation =
  | { logGroupName: string; created: true }
  | { logGroupName: string; created: false; previousRetentionDays: number | undefined }

/** A log group's ARN (without the trailing `:*`) from where it is and its name. */
function logGroupArnIn(home: AccountHome, region: string, name: string): string {
  return `arn:${home.partition}:logs:${region}:${home.accountId}:log-group:${name}`
}

/**
 * The space's log group as CloudWatch Logs has it when the run starts (undefined when missing):
 * looked up once per run, under a key a caller may have started the lookup with (`startSpaceReads`).
 */
export function lookUpSpaceLogGroup(ctx: Pick<StepContext<SpaceScope>, 'scope' | 'once'>): ReturnType<LogGroups['find']> {
  const name = spaceLogGroupName(ctx.scope)
  return ctx.once(`logs:DescribeLogGroups:${name}`, () => logGroupsApi(ctx.scope.account.clients.logs).find(name))
}

/** Runs a create; false when the resource turned out to exist already (a concurrent request made it). */
async function createdHere(create: () => Promise<void>): Promise<boolean> {
  try {
    await create()
    return true
  } catch (err) {
    if (awsCodeOf(err) === 'ResourceAlreadyExistsException') return false
    throw err
  }
}

export const ensureLogGroup = defineStep({
  id: ENSURE_LOG_GROUP_STEP,
  async invoke(ctx: StepContext<SpaceScope>) {
    const logs = logGroupsApi(ctx.scope.account.clients.logs)
    const name = spaceLogGroupName(ctx.scope)
    let existing = await lookUpSpaceLogGroup(ctx)
    const created = !existing && (await createdHere(() => logs.create(name, toTagMap(ctx.scope.tags))))
    // Not created here although missing: another request made it between our lookup and create.
    if (!existing && !created) existing = await logs.find(name)
    if (created) {
      // CreateLogGroup answers no ARN; it follows from region, account and name, so it is built
      // beside the retention rather than asked for (the account is known after its first use).
      const [retention, home] = await Promise.allSettled([logs.putRetention(name, LOG_RETENTION_DAYS), accountHome(ctx.scope.account)])
      const compensation: LogGroupCompensation = { logGroupName: name, created: true }
      // The rollback deletes the group just made, and reports (and hands over) a delete that fails.
      if (retention.status === 'rejected') throw new StepFailedError(retention.reason, { compensation })
      // Without the account, the ARN stays empty: whoever needs it looks the group up by name.
      const arn = home.status === 'fulfilled' ? logGroupArnIn(home.value, ctx.scope.account.config.region, name) : ''
      const output: SpaceLogGroup = { logGroupName: name, logGroupArn: arn }
      existingResourcesOf(ctx.scope.account)?.rememberLogGroup(name, arn)
      return { output, compensation }
    }
    if (!existing) throw new UpstreamError(`log group ${name} exists but CloudWatch Logs does not list it`)
    const output: SpaceLogGroup = { logGroupName: name, logGroupArn: logGroupArn(existing) ?? '' }
    existingResourcesOf(ctx.scope.account)?.rememberLogGroup(name, output.logGroupArn)
    if (existing.retentionInDays === LOG_RETENTION_DAYS) return { output, skipped: true as const }
    await logs.putRetention(name, LOG_RETENTION_DAYS)
    const compensation: LogGroupCompensation = {
      logGroupName: name,
      created: false,
      previousRetentionDays: existing.retentionInDays,
    }
    return { output, compensation }
  },
  async compensate(undo: LogGroupCompensation, ctx) {
    const logs = logGroupsApi(ctx.scope.account.clients.logs)
    if (undo.created) {
      existingResourcesOf(ctx.scope.account)?.forgetLogGroup(undo.logGroupName)
      return logs.delete(undo.logGroupName)
    }
    if (!(await logs.find(undo.logGroupName))) return
    if (undo.previousRetentionDays === undefined) return logs.deleteRetention(undo.logGroupName)
    return logs.putRetention(undo.logGroupName, undo.previousRetentionDays)
  },
})

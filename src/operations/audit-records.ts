/**
 * Audit records: one per change a request made (or tried) and one per operation's end, kept in the
 * operation store for the retention period and read back newest first. Records carry names, ARNs,
 * statuses and ids, never a request or answer body (secret and parameter values stay out).
 */
import { randomUUID } from 'node:crypto'

export interface AuditRecord {
  /** Time-ordered: records sort by id as they sort by time. */
  Id: string
  Time: string
  /** `request` for an HTTP change, `operation` for the end of a tracked operation. */
  Kind: 'request' | 'operation'
  RequestId?: string
  /** The configured token's id (its position in the config), never its value. */
  TokenId?: string
  /** `X-Forwarded-User` or `X-Spinup-User` as the caller sent it. */
  User?: string
  Account: string
  Org: string
  Space?: string
  Method?: string
  /** The route template (`/v1/ecs/:account/clusters/:cluster/services/:service`) or `operation <kind>`. */
  Route: string
  /** What the change was about, as a path (`clusters/web/services/api`, `secrets/db`, `params/app/url`). */
  Target?: string
  TargetArns: string[]
  /** The HTTP status answered (requests). */
  Status?: number
  /** `succeeded`, `rejected` (4xx) or `failed` (5xx, or a failed operation). */
  Outcome: 'succeeded' | 'rejected' | 'failed'
  OperationId?: string
  OperationKind?: string
  /**
   * What an ended operation came to, where its kind says more than `Outcome` (a deployment's
   * outcome: its tracking succeeds whether the deployment SUCCEEDED, FAILED or was ABORTED).
   */
  Result?: string
  /** Request ids of the AWS writes the request made (Describe, List and Get calls are left out). */
  AwsRequestIds?: string[]
}

export interface AuditQuery {
  account: string
  space?: string
  /** A target path (matches it and what is below it) or an ARN (matches exactly). */
  target?: string
  sinceMs?: number
  untilMs?: number
  limit: number
  /** Continue with records older than this id (the previous page's `nextCursor`). */
  before?: string
}

export interface AuditPage {
  records: AuditRecord[]
  nextCursor?: string
}

/** Width of the time part of an id: base36 milliseconds, zero-padded so ids sort as times. */
const TIME_WIDTH = 10

/** The smallest id of time `ms` (ids of that millisecond sort after it). */
export function auditIdFloor(ms: number): string {
  return Math.max(0, Math.floor(ms)).toString(36).padStart(TIME_WIDTH, '0')
}

export function newAuditId(ms: number): string {
  return `${auditIdFloor(ms)}-${randomUUID()}`
}

export function matchesAuditQuery(record: AuditRecord, query: AuditQuery): boolean {
  if (query.space !== undefined && record.Space !== query.space) return false
  const target = query.target
  if (target === undefined) return true
  if (target.startsWith('arn:')) return record.TargetArns.includes(target)
  const path = record.Target
  return path !== undefined && (path === target || path.startsWith(`${target}/`))
}

/** Bounds of the id range for a query: ids at or after `since`, before the millisecond after `until`. */
export function auditIdRange(query: AuditQuery): { from?: string; to?: string } {
  const to = query.untilMs === undefined ? undefined : auditIdFloor(query.untilMs + 1)
  const upper = query.before !== undefined && (to === undefined || query.before < to) ? query.before : to
  return {
    ...(query.sinceMs !== undefined ? { from: auditIdFloor(query.sinceMs) } : {}),
    ...(upper !== undefined ? { to: upper } : {}),
  }
}

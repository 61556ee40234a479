/**
 * Where operation records live: an SQLite file (one instance) or Redis (shared by replicas). Both
 * keep one JSON document per operation plus what listing needs, ordered by id (ids are time-ordered).
 */
import { UpstreamError } from '../core/errors.js'
import type { AuditPage, AuditQuery, AuditRecord } from './audit-records.js'
import type { IdempotencyClaim, KeptAnswer } from './kept-answers.js'
import type { OperationRecord, OperationStatus } from './record.js'

export interface ListQuery {
  account: string
  /** Only these statuses (all when absent or empty). */
  statuses?: readonly OperationStatus[]
  /** Only operations on this target or below it (`clusters/web` matches `clusters/web/services/api`). */
  targetPath?: string
  limit: number
  /** Continue after this id (the previous page's `nextCursor`). */
  after?: string
}

export interface ListPage {
  records: OperationRecord[]
  /** Present when more may follow. */
  nextCursor?: string
}

export interface OperationStore {
  readonly backend: 'sqlite' | 'redis'
  insert(record: OperationRecord): Promise<void>
  /** Writes the whole record (the runner owns an operation while it runs it). */
  save(record: OperationRecord): Promise<void>
  delete(id: string): Promise<void>
  get(id: string): Promise<OperationRecord | undefined>
  /** Newest first. */
  list(query: ListQuery): Promise<ListPage>
  /** Ids of queued and running operations, oldest first. */
  unfinishedIds(): Promise<string[]>
  /** Deletes operations that finished before `finishedBeforeMs`; answers how many. */
  prune(finishedBeforeMs: number): Promise<number>
  /**
   * Takes lease `key` for `owner` until `ttlMs` from now when it is free, expired or already
   * `owner`'s (a renewal); answers whether `owner` holds it now. Replicas sharing the store share
   * the leases.
   */
  tryLease(key: string, owner: string, ttlMs: number): Promise<boolean>
  /** Gives lease `key` up when `owner` holds it. */
  releaseLease(key: string, owner: string): Promise<void>
  /**
   * Claims idempotency key `key` for a request with `fingerprint` (held `runningTtlMs` at most),
   * unless a request with it is running or its answer is kept; answers which.
   */
  claimIdempotencyKey(key: string, fingerprint: string, runningTtlMs: number): Promise<IdempotencyClaim>
  /** Keeps the answer of the request holding `key` for `ttlMs`. */
  keepAnswer(key: string, fingerprint: string, answer: KeptAnswer, ttlMs: number): Promise<void>
  /** Gives a claim up (nothing kept): a retry with the key runs again. */
  releaseIdempotencyKey(key: string, fingerprint: string): Promise<void>
  appendAudit(record: AuditRecord): Promise<void>
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<AuditPage>
  /** Deletes audit records older than `beforeMs`; answers how many. */
  pruneAudit(beforeMs: number): Promise<number>
  /** Throws when the store cannot be used (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** The store failed or cannot be reached: a 503 for the request that needed it. */
export function storeUnavailable(err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err
  const reason = err instanceof Error ? err.message : String(err)
  return new UpstreamError(`operation store unavailable: ${reason}`, { unavailable: true, cause: err })
}

/** Runs a store call and turns any failure into `storeUnavailable`. */
export async function guarded<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw storeUnavailable(err)
  }
}

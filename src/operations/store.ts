/**
 * Where operation records live: an SQLite file (one instance) or Redis (shared by replicas). Both
 * keep one JSON document per operation plus what listing needs, ordered by id (ids are time-ordered).
 */
import { UpstreamError } from '../core/errors.js'
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

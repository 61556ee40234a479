/**
 * The audit trail: every record is one structured line on the `audit` logger and one entry in the
 * operation store (so every replica reads the same trail), pruned past the retention period.
 * Writing a record never fails the change it describes: a store failure is logged instead.
 */
import type { FastifyBaseLogger } from 'fastify'
import { newAuditId, type AuditPage, type AuditQuery, type AuditRecord } from './audit-records.js'
import type { OperationRecord } from './record.js'
import type { OperationStore } from './store.js'

const PRUNE_EVERY_MS = 60 * 60 * 1000

export type NewAuditRecord = Omit<AuditRecord, 'Id' | 'Time'>

export class AuditTrail {
  readonly #store: OperationStore
  readonly #log: FastifyBaseLogger
  readonly #retentionMs: number
  readonly #org: string
  #timer: NodeJS.Timeout | undefined

  constructor(options: { store: OperationStore; log: FastifyBaseLogger; retentionMs: number; org: string }) {
    this.#store = options.store
    this.#log = options.log
    this.#retentionMs = options.retentionMs
    this.#org = options.org
  }

  async record(entry: NewAuditRecord): Promise<AuditRecord> {
    const now = Date.now()
    const record: AuditRecord = { Id: newAuditId(now), Time: new Date(now).toISOString(), ...entry }
    this.#log.info({ audit: record }, 'audit')
    try {
      await this.#store.appendAudit(record)
    } catch (err) {
      this.#log.error({ err: { message: (err as Error).message }, auditId: record.Id }, 'audit record not stored (it is in this log)')
    }
    return record
  }

  /** The end of an operation, as one record; `result` is what it came to in its kind's words. */
  async operationFinished(op: OperationRecord, result?: string): Promise<void> {
    const { cluster } = op.target
    await this.record({
      Kind: 'operation',
      ...(op.requestId !== undefined ? { RequestId: op.requestId } : {}),
      Account: op.account,
      Org: this.#org,
      ...(cluster !== undefined ? { Space: cluster } : {}),
      Route: `operation ${op.kind}`,
      ...(op.targetPath ? { Target: op.targetPath } : {}),
      TargetArns: [],
      Outcome: op.status === 'succeeded' ? 'succeeded' : 'failed',
      OperationId: op.id,
      OperationKind: op.kind,
      ...(result !== undefined ? { Result: result } : {}),
    })
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    return await this.#store.listAudit(query)
  }

  /** Prunes now and every hour; the timer does not keep the process alive. */
  begin(): void {
    void this.#prune()
    this.#timer = setInterval(() => void this.#prune(), PRUNE_EVERY_MS)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  async #prune(): Promise<void> {
    try {
      const removed = await this.#store.pruneAudit(Date.now() - this.#retentionMs)
      if (removed > 0) this.#log.info({ removed }, 'pruned audit records past retention')
    } catch (err) {
      this.#log.warn({ err: { message: (err as Error).message } }, 'pruning audit records failed; retried later')
    }
  }
}

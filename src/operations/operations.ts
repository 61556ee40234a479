/**
 * The operations service the app decorates as `app.operations`: registers kinds, starts operations,
 * reads them back, and owns the store, the runner and retention.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AccountRegistry } from '../aws/account-clients.js'
import { ConflictError, NotFoundError } from '../core/errors.js'
import { operationKinds, OperationKindRegistry, type OperationKind } from './kinds.js'
import { Leases } from './leases.js'
import { planOperation } from './plan.js'
import { addEvent, newRecord, type OperationRecord, type OperationStatus, type OperationTarget } from './record.js'
import type { OperationRunner } from './runner.js'
import { storeUnavailable, type OperationStore } from './store.js'
import { toOperationView, type OperationView } from './view.js'

export interface StartOperation<Input = unknown> {
  /** A registered kind's name. */
  kind: string
  /** The configured account the operation acts in. */
  account: string
  target: OperationTarget
  /** Durable input, stored as JSON (no secrets: the store is not encrypted). */
  input: Input
  /** The request that started it, for the record and the logs. */
  requestId?: string
}

export interface ListOperations {
  statuses?: readonly OperationStatus[]
  targetPath?: string
  limit: number
  cursor?: string
}

export interface OperationsParts {
  store: OperationStore
  runner: OperationRunner
  kinds: OperationKindRegistry
  accounts: AccountRegistry
  log: FastifyBaseLogger
  retentionMs: number
  /** Default: leases over `store`. */
  leases?: Leases
}

const PRUNE_EVERY_MS = 60 * 60 * 1000

export class UnknownOperationKindError extends Error {
  constructor(kind: string) {
    super(`operation kind "${kind}" is not registered`)
    this.name = 'UnknownOperationKindError'
  }
}

export class Operations {
  readonly #parts: OperationsParts
  #pruneTimer: NodeJS.Timeout | undefined
  /** Mutual exclusion of work on one resource, shared by replicas through the store. */
  readonly leases: Leases
  #stopping = false

  constructor(parts: OperationsParts) {
    this.#parts = parts
    this.leases = parts.leases ?? new Leases(parts.store)
  }

  /** Where records live: `sqlite` (this process only) or `redis` (shared by replicas). */
  get backend(): OperationStore['backend'] {
    return this.#parts.store.backend
  }

  /** Registers a kind for this app (besides the process-wide `operationKinds`). */
  register<Input>(kind: OperationKind<Input>): void {
    this.#parts.kinds.register(kind)
  }

  /**
   * Stores a new queued operation and hands it to the runner; answers its view. An unknown account
   * is a 404; a store that cannot be reached a 503. An unknown kind or a wrong step graph is a bug
   * of the caller (500).
   */
  async start<Input>(request: StartOperation<Input>): Promise<OperationView> {
    const kind = this.#parts.kinds.get(request.kind)
    if (!kind) throw new UnknownOperationKindError(request.kind)
    if (!this.#parts.accounts.get(request.account)) throw new NotFoundError(`account ${request.account} is not configured`)
    // Stored as JSON and planned from it, so this run sees what a resumed one would.
    const input = request.input === undefined ? undefined : (JSON.parse(JSON.stringify(request.input)) as unknown)
    const plan = planOperation(kind, input)
    const record = newRecord({
      kind: kind.name,
      account: request.account,
      target: request.target,
      input,
      stepIds: plan.map((p) => p.step.id),
      ...(request.requestId !== undefined ? { requestId: request.requestId } : {}),
    })
    await this.#parts.store.insert(record)
    try {
      await this.#parts.runner.enqueue(record.id)
    } catch (err) {
      // The caller hears that nothing started, so nothing may start later either.
      await this.#parts.store.delete(record.id).catch(() => undefined)
      throw storeUnavailable(err)
    }
    this.#parts.log.info({ operationId: record.id, kind: kind.name, account: request.account, requestId: request.requestId }, 'operation queued')
    return toOperationView(record, { events: true })
  }

  /** One operation of `account`; a 404 for an unknown id or another account's operation. */
  async get(account: string, id: string): Promise<OperationView> {
    const record = await this.#record(id)
    if (!record || record.account !== account) throw new NotFoundError(`operation ${id} not found`)
    return toOperationView(record, { events: true })
  }

  /**
   * Runs a failed operation of `account` again from where it failed: the steps that succeeded are
   * skipped (their outputs are kept), the failed one and those after it run again (steps are
   * idempotent). A 404 for an unknown id or another account's operation, a 409 unless it failed, a
   * 503 when the store cannot be reached (the operation then stays failed).
   */
  async retry(account: string, id: string, requestId?: string): Promise<OperationView> {
    const record = await this.#record(id)
    if (!record || record.account !== account) throw new NotFoundError(`operation ${id} not found`)
    if (record.status !== 'failed') throw new ConflictError(`operation ${id} is ${record.status}: only a failed operation can be retried`)
    const failed = record.steps.find((s) => s.status === 'failed')?.id ?? record.error?.step
    const before = structuredClone(record)
    for (const step of record.steps) if (step.status === 'failed') step.status = 'pending'
    record.status = 'queued'
    record.recoveries = 0
    delete record.error
    delete record.finishedAt
    addEvent(record, `retry requested${requestId !== undefined ? ` by request ${requestId}` : ''}${failed !== undefined ? `; resumes at step ${failed}` : ''}`)
    await this.#parts.store.save(record)
    try {
      await this.#parts.runner.enqueue(record.id)
    } catch (err) {
      // The caller hears that nothing was retried, so the record says what it said before.
      await this.#parts.store.save(before).catch(() => undefined)
      throw storeUnavailable(err)
    }
    this.#parts.log.info({ operationId: record.id, kind: record.kind, account, requestId }, 'operation retry queued')
    return toOperationView(record, { events: true })
  }

  /** Records by id, for the flywheel view; unknown ids are left out. */
  async records(ids: readonly string[]): Promise<OperationRecord[]> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.#record(id)))
    return found.filter((r): r is OperationRecord => r !== undefined)
  }

  /** A page of `account`'s operations, newest first. */
  async list(account: string, query: ListOperations): Promise<{ operations: OperationView[]; nextCursor?: string }> {
    const page = await this.#parts.store.list({
      account,
      limit: query.limit,
      ...(query.statuses ? { statuses: query.statuses } : {}),
      ...(query.targetPath !== undefined ? { targetPath: query.targetPath } : {}),
      ...(query.cursor !== undefined ? { after: query.cursor } : {}),
    })
    return {
      operations: page.records.map((r) => toOperationView(r)),
      ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    }
  }

  /** Readiness: throws while the store or queue cannot be used. */
  async check(): Promise<void> {
    await this.#parts.runner.check()
  }

  /** Starts running operations (resuming unfinished ones) and pruning old ones. */
  async begin(): Promise<void> {
    try {
      await this.#parts.runner.start()
    } catch (err) {
      this.#parts.log.error({ err }, 'operations could not be resumed now; they are when the store is reachable')
    }
    void this.#prune()
    this.#pruneTimer = setInterval(() => void this.#prune(), PRUNE_EVERY_MS)
    this.#pruneTimer.unref()
  }

  /** Shutdown begins: take no new work, let steps in flight finish. Idempotent. */
  beginStop(): void {
    clearInterval(this.#pruneTimer)
    if (!this.#stopping) {
      this.#stopping = true
      this.#parts.runner.beginStop()
      this.#parts.log.info('operations stopping: steps in flight finish, no further step starts')
    }
  }

  /** Waits for steps in flight up to `deadlineMs` after `beginStop`, then closes the store. */
  async close(deadlineMs: number): Promise<void> {
    this.beginStop()
    await this.#parts.runner.stop(deadlineMs)
    await this.#parts.runner.close()
    await this.#parts.store.close()
  }

  async #record(id: string): Promise<OperationRecord | undefined> {
    // Ids are UUIDs; anything much longer is not one of ours and needs no lookup.
    return id.length > 64 ? undefined : await this.#parts.store.get(id)
  }

  async #prune(): Promise<void> {
    try {
      const removed = await this.#parts.store.prune(Date.now() - this.#parts.retentionMs)
      if (removed > 0) this.#parts.log.info({ removed }, 'pruned finished operations past retention')
    } catch (err) {
      this.#parts.log.warn({ err: { message: (err as Error).message } }, 'pruning operations failed; retried later')
    }
  }
}

/** An app's kind registry: its own kinds, then the process-wide ones. */
export function appKindRegistry(): OperationKindRegistry {
  return new OperationKindRegistry(operationKinds)
}

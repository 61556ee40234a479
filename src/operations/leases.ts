/**
 * Leases: mutual exclusion between requests and operations, in this process and across replicas
 * (they live in the operation store). A lease expires unless its holder renews it, so a holder that
 * dies cannot block others for longer than one lease time.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { ConflictError } from '../core/errors.js'
import type { OperationStore } from './store.js'

/** How long a lease lasts without renewal; its holder renews it every third of that. */
const LEASE_MS = 30_000
/** How long a request waits for a lease by default before it is answered 409. */
const WAIT_MS = 60_000
const FIRST_PAUSE_MS = 20
const MAX_PAUSE_MS = 500

export interface HoldOptions {
  /** How long to wait for the lease; 409 (with Retry-After) beyond. */
  readonly waitMs?: number
  /** Stops waiting (an operation that must stop). */
  readonly signal?: AbortSignal
  /**
   * Who holds it (default: a new id per hold). An operation that holds a lease under its own id
   * takes it back at once when it resumes after its process died, instead of waiting for it to expire.
   */
  readonly owner?: string
}

export class Leases {
  readonly #store: OperationStore
  readonly #leaseMs: number

  constructor(store: OperationStore, leaseMs = LEASE_MS) {
    this.#store = store
    this.#leaseMs = leaseMs
  }

  /**
   * Runs `work` holding lease `key`: waits (polling, with growing pauses) while another holder has
   * it, renews it while `work` runs, gives it back after. `what` names the work in the 409.
   */
  async hold<T>(key: string, what: string, work: () => Promise<T>, options: HoldOptions = {}): Promise<T> {
    const owner = options.owner ?? randomUUID()
    const deadline = Date.now() + (options.waitMs ?? WAIT_MS)
    let pause = FIRST_PAUSE_MS
    while (!(await this.#store.tryLease(key, owner, this.#leaseMs))) {
      if (Date.now() + pause > deadline || options.signal?.aborted) {
        throw new ConflictError(`${what} is in progress; try again`, { retryAfter: Math.ceil(this.#leaseMs / 3000) })
      }
      await sleep(pause)
      pause = Math.min(pause * 2, MAX_PAUSE_MS)
    }
    // A renewal that fails (store down) is retried at the next tick; the lease may lapse meanwhile.
    const renewal = setInterval(() => {
      this.#store.tryLease(key, owner, this.#leaseMs).catch(() => undefined)
    }, this.#leaseMs / 3)
    renewal.unref()
    try {
      return await work()
    } finally {
      clearInterval(renewal)
      await this.#store.releaseLease(key, owner).catch(() => undefined)
    }
  }
}

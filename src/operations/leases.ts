/**
 * Leases: mutual exclusion between requests and operations, in this process and across replicas
 * (they live in the operation store). A lease expires unless its holder renews it, so a holder that
 * dies cannot block others for longer than one lease time.
 */
import { randomUUID } from 'node:crypto'
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

/**
 * A hold waiting in this process. A wake ends its current pause early, or its next one at once when
 * it comes while the waiter is asking the store (a release between its ask and its pause).
 */
class Waiter {
  #woken = false
  #endPause: (() => void) | undefined

  wake(): void {
    this.#woken = true
    this.#endPause?.()
  }

  /** Waits `ms`, or less when woken meanwhile (or since the last pause). */
  pause(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#endPause?.(), ms)
      this.#endPause = () => {
        clearTimeout(timer)
        this.#endPause = undefined
        this.#woken = false
        resolve()
      }
    })
  }
}

export class Leases {
  readonly #store: OperationStore
  readonly #leaseMs: number
  /**
   * Holds of this process waiting for each key, oldest first. A release here wakes the oldest at
   * once, so waiters in one process take turns in arrival order instead of each sleeping out its
   * pause (up to MAX_PAUSE_MS per turn, which made a busy space's queue grow under load). Holders
   * in other replicas are still found by polling.
   */
  readonly #waiting = new Map<string, Set<Waiter>>()

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
    if (!(await this.#store.tryLease(key, owner, this.#leaseMs))) {
      const waiter = new Waiter()
      const queue = this.#queue(key)
      queue.add(waiter)
      try {
        do {
          if (Date.now() + pause > deadline || options.signal?.aborted) {
            throw new ConflictError(`${what} is in progress; try again`, { retryAfter: Math.ceil(this.#leaseMs / 3000) })
          }
          await waiter.pause(pause)
          pause = Math.min(pause * 2, MAX_PAUSE_MS)
        } while (!(await this.#store.tryLease(key, owner, this.#leaseMs)))
      } finally {
        queue.delete(waiter)
        if (queue.size === 0 && this.#waiting.get(key) === queue) this.#waiting.delete(key)
      }
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
      this.#waiting.get(key)?.values().next().value?.wake()
    }
  }

  #queue(key: string): Set<Waiter> {
    let queue = this.#waiting.get(key)
    if (!queue) {
      queue = new Set()
      this.#waiting.set(key, queue)
    }
    return queue
  }
}

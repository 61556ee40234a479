/**
 * Runs operations inside this process, for the embedded (SQLite) store: a FIFO with bounded
 * concurrency. On start it resumes what a previous process left queued or running.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { ExecutionControl } from './executor.js'
import { within, type Execute, type OperationRunner } from './runner.js'
import type { OperationStore } from './store.js'

/** After the deadline aborted the steps, how long they get to notice before we stop waiting. */
const ABORT_GRACE_MS = 1_000

export interface LocalRunnerOptions {
  store: OperationStore
  execute: Execute
  /** Operations run at once; 0 runs none (they stay queued). */
  concurrency: number
  log: FastifyBaseLogger
  /**
   * Whether an operation's kind spends its run waiting (a deployment tracker): such operations run
   * beside `concurrency`, up to `WAITING_LIMIT`, so long waits cannot hold every slot.
   */
  waits?: (id: string) => Promise<boolean>
}

/** Waiting operations (see `waits`) run at once at most. */
const WAITING_LIMIT = 256

export class LocalRunner implements OperationRunner {
  readonly #opts: LocalRunnerOptions
  readonly #waiting: string[] = []
  /** Queued or running here, so an id handed over twice runs once. */
  readonly #known = new Set<string>()
  readonly #active = new Map<string, Promise<void>>()
  /** Queued and running operations of waiting kinds (`waits`). */
  readonly #waitingKinds: string[] = []
  readonly #activeWaiting = new Set<string>()
  readonly #abort = new AbortController()
  #started = false
  #stopping = false
  #stopSince = 0
  readonly #control: ExecutionControl

  constructor(options: LocalRunnerOptions) {
    this.#opts = options
    this.#control = { stopping: () => this.#stopping, signal: this.#abort.signal }
  }

  async enqueue(id: string): Promise<void> {
    await this.#add(id)
    this.#pump()
  }

  async start(): Promise<void> {
    if (this.#started || this.#stopping) return
    this.#started = true
    const left = await this.#opts.store.unfinishedIds()
    if (left.length > 0) this.#opts.log.info({ count: left.length }, 'resuming operations left unfinished')
    for (const id of left) await this.#add(id)
    this.#pump()
  }

  beginStop(): void {
    if (this.#stopping) return
    this.#stopping = true
    this.#stopSince = Date.now()
  }

  async stop(deadlineMs: number): Promise<void> {
    this.beginStop()
    const all = (): Promise<unknown> => Promise.allSettled([...this.#active.values()])
    const left = deadlineMs - (Date.now() - this.#stopSince)
    if (await within(all(), left)) return
    this.#opts.log.warn({ count: this.#active.size }, 'shutdown deadline reached: cutting off operation steps in flight')
    this.#abort.abort(new Error('shutdown deadline reached'))
    await within(all(), ABORT_GRACE_MS)
  }

  async close(): Promise<void> {
    // Nothing of its own to release; the store is closed by its owner.
  }

  async check(): Promise<void> {
    await this.#opts.store.ping()
  }

  async #add(id: string): Promise<void> {
    if (this.#known.has(id)) return
    this.#known.add(id)
    const waits = this.#opts.waits ? await this.#opts.waits(id).catch(() => false) : false
    ;(waits ? this.#waitingKinds : this.#waiting).push(id)
  }

  #pump(): void {
    const running = () => this.#started && !this.#stopping && this.#opts.concurrency > 0
    while (running() && this.#active.size - this.#activeWaiting.size < this.#opts.concurrency && this.#waiting.length > 0) {
      this.#launch(this.#waiting.shift()!)
    }
    while (running() && this.#activeWaiting.size < WAITING_LIMIT && this.#waitingKinds.length > 0) {
      const id = this.#waitingKinds.shift()!
      this.#activeWaiting.add(id)
      this.#launch(id)
    }
  }

  #launch(id: string): void {
    const run = this.#run(id).finally(() => {
      this.#active.delete(id)
      this.#activeWaiting.delete(id)
      this.#known.delete(id)
      this.#pump()
    })
    this.#active.set(id, run)
  }

  async #run(id: string): Promise<void> {
    try {
      await this.#opts.execute(id, this.#control)
    } catch (err) {
      // The store failed under the operation; it stays unfinished and is resumed at the next start.
      this.#opts.log.error({ err, operationId: id }, 'operation could not be run: store failure')
    }
  }
}

/**
 * Runs operations on any replica through a BullMQ queue on Redis. A job carries only the operation
 * id (the record lives in the Redis store). A replica that dies stops renewing its lock on the job;
 * BullMQ's stalled-job check on another replica puts the job back in the queue, and whoever takes it
 * resumes the operation from its record.
 */
import type { FastifyBaseLogger } from 'fastify'
import { Queue, WaitingError, Worker, type Job } from 'bullmq'
import type { ExecutionControl } from './executor.js'
import { redisOptions } from './redis-connection.js'
import { sleep, within, type Execute, type OperationRunner } from './runner.js'
import type { OperationStore } from './store.js'

/** Replica deaths an operation survives; BullMQ fails the job after one more. */
const MAX_STALLED_COUNT = 3
/** Attempts of a job whose run failed for a reason of our own (the store), not of a step. */
const JOB_ATTEMPTS = 5
/** How often unfinished records and their jobs are compared (a lost enqueue, a job BullMQ failed). */
const RECONCILE_EVERY_MS = 60_000
/** How long an enqueue may wait for Redis before the request answers 503. */
const ENQUEUE_TIMEOUT_MS = 5_000
const ABORT_GRACE_MS = 1_000
const CLOSE_TIMEOUT_MS = 2_000

interface JobData {
  id: string
}

export interface BullmqRunnerOptions {
  url: string
  org: string
  store: OperationStore
  execute: Execute
  /** Marks an operation failed unless it finished: BullMQ gave up on its job. */
  failUnfinished(id: string, message: string): Promise<void>
  /** Operations this replica runs at once; 0 runs none (it only enqueues). */
  concurrency: number
  lockDurationMs: number
  stalledIntervalMs: number
  /** How long failed jobs stay in Redis (for inspection), like finished records. */
  retentionMs: number
  log: FastifyBaseLogger
}

export class BullmqRunner implements OperationRunner {
  readonly #opts: BullmqRunnerOptions
  readonly #queueName: string
  readonly #queue: Queue<JobData>
  readonly #abort = new AbortController()
  readonly #control: ExecutionControl
  #worker: Worker<JobData> | undefined
  #workerClosed: Promise<void> | undefined
  #reconcileTimer: NodeJS.Timeout | undefined
  #stopping = false
  #stopSince = 0

  constructor(options: BullmqRunnerOptions) {
    this.#opts = options
    // BullMQ refuses ':' in queue names; org names are letters, digits, '_', '.' and '-'.
    this.#queueName = `operations.${options.org}`
    this.#queue = new Queue<JobData>(this.#queueName, { connection: { url: options.url, ...redisOptions() }, prefix: 'ecs-api' })
    // Connectivity is reported by the store, which shares the Redis; these repeat it.
    this.#queue.on('error', (err) => options.log.debug({ err: { message: err.message } }, 'operation queue error'))
    this.#control = { stopping: () => this.#stopping, signal: this.#abort.signal }
  }

  async enqueue(id: string): Promise<void> {
    const added = this.#add(id)
    if (!(await within(added, ENQUEUE_TIMEOUT_MS))) throw new Error('the operation queue did not answer in time')
    await added
  }

  async start(): Promise<void> {
    if (this.#stopping) return
    if (this.#opts.concurrency > 0) {
      const worker = new Worker<JobData>(this.#queueName, (job, token) => this.#process(job, token), {
        connection: { url: this.#opts.url, connectTimeout: 5_000 },
        prefix: 'ecs-api',
        concurrency: this.#opts.concurrency,
        lockDuration: this.#opts.lockDurationMs,
        stalledInterval: this.#opts.stalledIntervalMs,
        maxStalledCount: MAX_STALLED_COUNT,
      })
      worker.on('error', (err) => this.#opts.log.debug({ err: { message: err.message } }, 'operation worker error'))
      worker.on('stalled', (jobId) => this.#opts.log.warn({ operationId: jobId }, 'operation abandoned by its replica; resuming it'))
      worker.on('failed', (job, err) => {
        if (!job?.id || job.attemptsMade < (job.opts.attempts ?? 1)) return
        void this.#giveUp(job.id, `could not be run: ${err.message}`)
      })
      this.#worker = worker
    }
    void this.#reconcile()
    this.#reconcileTimer = setInterval(() => void this.#reconcile(), RECONCILE_EVERY_MS)
    this.#reconcileTimer.unref()
  }

  beginStop(): void {
    if (this.#stopping) return
    this.#stopping = true
    this.#stopSince = Date.now()
    clearInterval(this.#reconcileTimer)
    // Stops fetching jobs at once; resolves when the jobs in flight have returned.
    this.#workerClosed = this.#worker?.close()
  }

  async stop(deadlineMs: number): Promise<void> {
    this.beginStop()
    if (!this.#workerClosed) return
    if (await within(this.#workerClosed, deadlineMs - (Date.now() - this.#stopSince))) return
    this.#opts.log.warn('shutdown deadline reached: cutting off operation steps in flight; other replicas resume them')
    this.#abort.abort(new Error('shutdown deadline reached'))
    if (await within(this.#workerClosed, ABORT_GRACE_MS)) return
    // Their locks expire and the stalled-job check hands them to another replica.
    await within(this.#worker!.close(true), CLOSE_TIMEOUT_MS)
    await this.#worker!.disconnect().catch(() => undefined)
  }

  async close(): Promise<void> {
    if (!(await within(this.#queue.close(), CLOSE_TIMEOUT_MS))) await this.#queue.disconnect().catch(() => undefined)
  }

  async check(): Promise<void> {
    await this.#opts.store.ping()
  }

  async #process(job: Job<JobData>, token: string | undefined): Promise<void> {
    const outcome = await this.#opts.execute(job.data.id, this.#control)
    if (outcome === 'interrupted') {
      // Shutdown: back to the queue for another replica, without counting as a failed attempt.
      await job.moveToWait(token)
      throw new WaitingError()
    }
  }

  /**
   * Adds the operation's job. A job BullMQ gave up on stays in its failed set (for inspection) and
   * would swallow an add under the same id, so for a retried operation it is removed first.
   */
  async #add(id: string): Promise<void> {
    const old = await this.#queue.getJob(id)
    if (old && (await old.isFailed())) await old.remove()
    await this.#queue.add('operation', { id }, this.#jobOptions(id))
  }

  #jobOptions(id: string) {
    return {
      jobId: id,
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: Math.ceil(this.#opts.retentionMs / 1000) },
    }
  }

  async #giveUp(id: string, message: string): Promise<void> {
    try {
      await this.#opts.failUnfinished(id, message)
    } catch (err) {
      this.#opts.log.warn({ err: { message: (err as Error).message }, operationId: id }, 'could not record a failed operation; retried later')
    }
  }

  /**
   * Compares unfinished records with their jobs: a record without a job (its enqueue was lost)
   * gets one; a record whose job BullMQ failed (it stalled too often) is marked failed.
   */
  async #reconcile(): Promise<void> {
    try {
      for (const id of await this.#opts.store.unfinishedIds()) {
        if (this.#stopping) return
        const state = await this.#queue.getJobState(id)
        if (state === 'unknown') {
          this.#opts.log.warn({ operationId: id }, 'operation had no job; queueing it again')
          await this.#queue.add('operation', { id }, this.#jobOptions(id))
        } else if (state === 'failed') {
          const job = await this.#queue.getJob(id)
          await this.#giveUp(id, `could not be run: ${job?.failedReason ?? 'the queue gave up on it'}`)
        }
        await sleep(0)
      }
    } catch (err) {
      this.#opts.log.debug({ err: { message: (err as Error).message } }, 'reconciling operations failed; retried later')
    }
  }
}

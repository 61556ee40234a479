/**
 * One execution of one operation: the record, owned while the steps run, written after every
 * change, one write at a time.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AccountRegistry } from '../aws/account-clients.js'
import { isDomainError } from '../core/errors.js'
import { defineStep, defineWorkflow, WorkflowFailedError } from '../workflows/engine.js'
import type { Registry } from 'prom-client'
import { OperationPausedError, type OperationContext, type OperationKindRegistry } from './kinds.js'
import type { Leases } from './leases.js'
import type { OperationMetrics } from './metrics.js'
import { ancestorsOf, planOperation, type PlannedStep } from './plan.js'
import { addEvent, type OperationError, type OperationRecord, type StepState } from './record.js'
import type { OperationStore } from './store.js'

/** How many times an operation may be found abandoned by a dead process before it is given up. */
export const MAX_RECOVERIES = 3

/** How the runner tells a running operation to stop. */
export interface ExecutionControl {
  /** True once shutdown began: the step in flight finishes, no further step starts. */
  stopping(): boolean
  /** Aborted when the shutdown deadline passed; steps see it on `ctx.signal`. */
  readonly signal: AbortSignal
}

/** `interrupted`: stopped by a shutdown and queued again; `skipped`: unknown or already finished. */
export type ExecutionOutcome = 'succeeded' | 'failed' | 'interrupted' | 'skipped'

export interface ExecutorDeps {
  store: OperationStore
  kinds: OperationKindRegistry
  accounts: AccountRegistry
  metrics: OperationMetrics
  log: FastifyBaseLogger
  leases: Leases
  /** The app's metrics registry, handed to steps (`ctx.metrics`). */
  registry?: Registry
  /** Told of every operation's end (the audit trail); never fails the operation. */
  onFinished?: (record: OperationRecord) => Promise<void>
}

/** A step was not started, or was cut off, because the process is stopping. */
class Interrupted extends Error {
  constructor() {
    super('interrupted by shutdown')
    this.name = 'Interrupted'
  }
}

const now = (): string => new Date().toISOString()

/** A step's output as the store will keep it, so a resumed run sees exactly what this one saw. */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}

/** One execution of one operation; owns the record while it runs. */
export class OperationRun {
  readonly #log: FastifyBaseLogger
  #saving: Promise<unknown> = Promise.resolve()
  #storeError: Error | undefined

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly record: OperationRecord,
    private readonly control: ExecutionControl,
  ) {
    this.#log = deps.log.child({ operationId: record.id, kind: record.kind })
  }

  async execute(): Promise<ExecutionOutcome> {
    const { record } = this
    if (record.status === 'running') {
      record.recoveries += 1
      if (record.recoveries > MAX_RECOVERIES) {
        return await this.fail({
          code: 'InternalError',
          message: `abandoned ${MAX_RECOVERIES + 1} times by a process that stopped while running it; not retried again`,
        })
      }
    }
    const kind = this.deps.kinds.get(record.kind)
    if (!kind) return await this.fail({ code: 'InternalError', message: `this service has no operation kind "${record.kind}"` })
    const account = this.deps.accounts.get(record.account)
    if (!account) return await this.fail({ code: 'NotFound', message: `account ${record.account} is not configured` })
    let plan: PlannedStep[]
    try {
      plan = planOperation(kind, record.input)
    } catch (err) {
      return await this.fail(this.#describe(err))
    }

    const known = new Map(record.steps.map((s) => [s.id, s]))
    record.steps = plan.map(({ step }) => {
      const state = known.get(step.id) ?? { id: step.id, status: 'pending', attempts: 0 }
      // A step left running by a dead process runs again.
      if (state.status === 'running') state.status = 'pending'
      return state
    })
    record.status = 'running'
    record.runs += 1
    record.startedAt ??= now()
    addEvent(record, record.runs === 1 ? 'started' : `resumed (run ${record.runs})`)
    await this.#save()

    const ancestors = ancestorsOf(plan)
    const workflow = defineWorkflow(
      `operation ${kind.name}`,
      plan.map((p) => this.#engineStep(p, account, ancestors.get(p.step.id) ?? new Set())),
    )
    this.deps.metrics.inFlight.inc()
    try {
      await workflow.run(undefined)
    } catch (err) {
      if (this.#storeError !== undefined) throw this.#storeError
      const cause = err instanceof WorkflowFailedError ? err.report.error : err
      if (cause instanceof Interrupted) return await this.#requeue()
      const step = err instanceof WorkflowFailedError ? err.report.failedStep : undefined
      return await this.fail({ ...(step !== undefined ? { step } : {}), ...this.#describe(cause) })
    } finally {
      this.deps.metrics.inFlight.dec()
    }
    return await this.#finish('succeeded')
  }

  async fail(error: OperationError): Promise<ExecutionOutcome> {
    this.record.error = error
    this.#log.warn({ error }, 'operation failed')
    return await this.#finish('failed')
  }

  async #finish(outcome: 'succeeded' | 'failed'): Promise<ExecutionOutcome> {
    const { record, deps } = this
    record.status = outcome
    record.finishedAt = now()
    addEvent(record, outcome === 'succeeded' ? 'succeeded' : `failed: ${record.error?.message ?? 'unknown error'}`, record.finishedAt)
    await this.#save()
    deps.metrics.finished.inc({ kind: record.kind, outcome })
    if (record.startedAt) {
      const seconds = (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000
      deps.metrics.duration.observe({ kind: record.kind }, seconds)
    }
    if (outcome === 'succeeded') this.#log.info('operation succeeded')
    await deps.onFinished?.(record).catch(() => undefined)
    return outcome
  }

  async #requeue(): Promise<ExecutionOutcome> {
    this.record.status = 'queued'
    addEvent(this.record, 'paused by shutdown; it resumes when a process picks it up again')
    await this.#save()
    this.#log.info('operation paused by shutdown')
    return 'interrupted'
  }

  #engineStep({ step, dependsOn }: PlannedStep, account: OperationContext<unknown>['account'], ancestors: Set<string>) {
    return defineStep({
      id: step.id,
      dependsOn,
      noCompensation: true,
      invoke: async () => {
        const state = this.#state(step.id)
        if (state.status === 'succeeded') return { output: state.output, skipped: true as const }
        if (this.control.stopping() || this.control.signal.aborted) throw new Interrupted()
        Object.assign(state, { status: 'running', startedAt: now(), attempts: state.attempts + 1 })
        delete state.finishedAt
        delete state.error
        addEvent(this.record, state.attempts > 1 ? `step ${step.id} started (attempt ${state.attempts})` : `step ${step.id} started`)
        await this.#save()

        let output: unknown
        try {
          output = asJson(await step.run(this.#context(step.id, account, ancestors)))
        } catch (err) {
          if ((this.control.signal.aborted || err instanceof OperationPausedError) && this.#storeError === undefined) {
            state.status = 'pending'
            addEvent(this.record, `step ${step.id} cut off by shutdown`)
            await this.#save()
            throw new Interrupted()
          }
          Object.assign(state, { status: 'failed', finishedAt: now(), error: this.#describe(err).message })
          addEvent(this.record, `step ${step.id} failed: ${state.error}`)
          await this.#save()
          throw err
        }
        Object.assign(state, { status: 'succeeded', finishedAt: now(), output })
        addEvent(this.record, `step ${step.id} succeeded`)
        await this.#save()
        return { output }
      },
    })
  }

  #context(stepId: string, account: OperationContext<unknown>['account'], ancestors: Set<string>): OperationContext<unknown> {
    const { record } = this
    return {
      operationId: record.id,
      kind: record.kind,
      input: record.input,
      target: record.target,
      account,
      signal: this.control.signal,
      log: this.#log.child({ step: stepId }),
      leases: this.deps.leases,
      outputOf: <T>(other: string): T => {
        if (!ancestors.has(other)) throw new Error(`step ${stepId} reads the output of ${other} without depending on it`)
        return this.#state(other).output as T
      },
      event: async (message: string) => {
        addEvent(record, message)
        await this.#save()
      },
      progress: this.#state(stepId).progress,
      saveProgress: async (value: unknown) => {
        this.#state(stepId).progress = asJson(value)
        record.updatedAt = now()
        await this.#save()
      },
      stopping: () => this.control.stopping(),
      related: async (path: string, limit: number) =>
        (await this.deps.store.list({ account: record.account, targetPath: path, limit })).records,
      metrics: this.deps.registry,
    }
  }

  #state(stepId: string): StepState {
    const state = this.record.steps.find((s) => s.id === stepId)
    if (!state) throw new Error(`operation ${this.record.id} has no step ${stepId}`)
    return state
  }

  /**
   * Writes the record, one write at a time (concurrent steps share it). A store failure is kept:
   * it is not the operation's failure, and the run ends by rethrowing it.
   */
  async #save(): Promise<void> {
    const next = this.#saving.then(() => this.deps.store.save(this.record))
    this.#saving = next.catch(() => undefined)
    try {
      await next
    } catch (err) {
      this.#storeError ??= err instanceof Error ? err : new Error(String(err))
      throw err
    }
  }

  /** Domain errors keep their code and message; anything else is our bug and is only logged. */
  #describe(err: unknown): { code: string; message: string } {
    if (isDomainError(err)) return { code: err.code, message: err.message }
    this.#log.error({ err }, 'operation step failed unexpectedly')
    return { code: 'InternalError', message: `internal error; logId=${this.record.id}` }
  }
}

/**
 * In-process saga engine. A workflow is a set of steps with declared dependencies; each step starts as
 * soon as everything it depends on has succeeded, so independent AWS calls overlap. On the first
 * failure the engine starts nothing new, lets running steps settle, then undoes every completed step
 * in reverse order of completion and throws a `WorkflowFailedError` carrying the report.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import { DomainError } from '../core/errors.js'
import { depId, StepFailedError, type InvokeResult, type Step, type StepContext, type StepRef } from './step.js'
import { WorkflowDefinitionError, WorkflowFailedError, type WorkflowFailureReport } from './workflow-errors.js'

export {
  defineStep,
  StepFailedError,
  type CompensateContext,
  type InvokeResult,
  type Step,
  type StepContext,
  type StepDef,
  type StepRef,
} from './step.js'
export {
  WorkflowDefinitionError,
  WorkflowFailedError,
  reportDetails,
  type WorkflowFailureReport,
} from './workflow-errors.js'

/**
 * Observer callbacks (metrics, tracked-operation records). They are awaited, so a store can persist
 * step status before the workflow moves on. A throwing `onStepStart`/`onStepSuccess` fails that step
 * (a completed step is still compensated); errors from the failure-path hooks are ignored so they can
 * never stop a rollback.
 */
export interface WorkflowHooks {
  onStepStart?(step: string): void | Promise<void>
  onStepSuccess?(step: string, info: { durationMs: number; skipped: boolean }): void | Promise<void>
  onStepFailure?(step: string, error: unknown): void | Promise<void>
  onCompensate?(step: string, outcome: { ok: true } | { ok: false; error: unknown }): void | Promise<void>
}

export interface RunOptions {
  /** Cancels the run: running steps see it on `ctx.signal`, no new step starts, completed ones are undone. */
  signal?: AbortSignal
  hooks?: WorkflowHooks
  /**
   * Reads the caller already started under the keys the steps give `ctx.once` (made beside its own
   * checks, see `startSpaceReads`): the steps take these answers instead of asking again.
   */
  reads?: ReadonlyMap<string, Promise<unknown>>
}

/** Outputs of a successful run. */
export interface WorkflowOutputs {
  outputOf<O>(ref: StepRef<O>): O
  /** Every step's output by id (skipped steps included). */
  readonly outputs: ReadonlyMap<string, unknown>
}

export interface Workflow<Scope> {
  readonly id: string
  readonly steps: readonly Step<unknown, unknown, Scope>[]
  /** Runs the workflow; resolves with all outputs or rejects with `WorkflowFailedError`. */
  run(scope: Scope, options?: RunOptions): Promise<WorkflowOutputs>
}

type AnyStep<Scope> = Step<unknown, unknown, Scope>
type Completed<Scope> = { step: AnyStep<Scope>; result: InvokeResult<unknown, unknown> }

/** Runs an observer on the failure path, where its own error must not interrupt the rollback. */
async function quietly(hook: () => void | Promise<void>): Promise<void> {
  try {
    await hook()
  } catch {
    // Observers are best effort here; the report already carries what matters.
  }
}

/**
 * Checks the graph once, when the module defining the workflow loads, so a wrong definition fails at
 * startup and in tests rather than on the first request.
 */
function validate<Scope>(workflowId: string, steps: readonly AnyStep<Scope>[]): void {
  const byId = new Map<string, AnyStep<Scope>>()
  for (const step of steps) {
    if (byId.has(step.id)) throw new WorkflowDefinitionError(`${workflowId}: duplicate step id "${step.id}"`)
    byId.set(step.id, step)
  }
  for (const step of steps) {
    for (const dep of (step.dependsOn ?? []).map(depId)) {
      if (!byId.has(dep)) {
        throw new WorkflowDefinitionError(`${workflowId}: step "${step.id}" depends on unknown step "${dep}"`)
      }
    }
    for (const used of (step.uses ?? []).map(depId)) {
      if (!byId.has(used)) {
        throw new WorkflowDefinitionError(`${workflowId}: step "${step.id}" uses unknown step "${used}"`)
      }
    }
  }
  // Depth-first search; meeting a step that is still on the path means a cycle, printed as a -> b -> a.
  const done = new Set<string>()
  const path: string[] = []
  const visit = (id: string): void => {
    if (done.has(id)) return
    if (path.includes(id)) {
      const cycle = [...path.slice(path.indexOf(id)), id].join(' -> ')
      throw new WorkflowDefinitionError(`${workflowId}: dependency cycle ${cycle}`)
    }
    path.push(id)
    for (const dep of byId.get(id)?.dependsOn ?? []) visit(depId(dep))
    path.pop()
    done.add(id)
  }
  for (const step of steps) visit(step.id)
}

/** Defines a workflow from its steps (in any order; dependencies decide the order). Throws on a bad graph. */
export function defineWorkflow<Scope>(id: string, steps: readonly AnyStep<Scope>[]): Workflow<Scope> {
  validate(id, steps)
  const depsOf = new Map(steps.map((s) => [s.id, new Set((s.dependsOn ?? []).map(depId))]))
  const dependents = new Map<string, AnyStep<Scope>[]>(steps.map((s) => [s.id, []]))
  for (const step of steps) for (const dep of depsOf.get(step.id) ?? []) dependents.get(dep)?.push(step)

  async function run(scope: Scope, options: RunOptions = {}): Promise<WorkflowOutputs> {
    const hooks = options.hooks ?? {}
    const outputs = new Map<string, unknown>()
    const completed: Completed<Scope>[] = []
    const unmet = new Map([...depsOf].map(([stepId, deps]) => [stepId, deps.size]))
    // Steps in flight by id; each promise settles (never rejects) when its step is done either way.
    const running = new Map<string, Promise<void>>()
    let failure: { step: string; error: unknown } | undefined
    const alsoFailed: { step: string; error: unknown }[] = []

    // One controller per run, fired by the first failure or the caller's cancel; steps see it on ctx.signal.
    const abort = new AbortController()
    const fail = (step: string, error: unknown, abortReason: unknown): void => {
      if (!failure) {
        failure = { step, error }
        abort.abort(abortReason)
      } else if (step !== failure.step) {
        alsoFailed.push({ step, error })
      }
    }
    // A cancel is charged to a step still in flight (or the next one due) so the report names where
    // it stopped; the run then rolls back even if the running steps ignore the signal and succeed.
    const onCallerAbort = (): void => {
      const where = running.keys().next().value ?? steps.find((s) => !outputs.has(s.id))?.id ?? id
      fail(where, options.signal?.reason, options.signal?.reason)
    }
    options.signal?.addEventListener('abort', onCallerAbort, { once: true })
    if (options.signal?.aborted) onCallerAbort()

    // Reads shared by the steps of this run (ctx.once), by key; a failed one is shared too.
    const shared = new Map<string, Promise<unknown>>(options.reads ?? [])
    const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
      let answer = shared.get(key) as Promise<T> | undefined
      if (!answer) {
        answer = compute()
        shared.set(key, answer)
      }
      return answer
    }

    const contextFor = (step: AnyStep<Scope>): StepContext<Scope> => ({
      scope,
      signal: abort.signal,
      once,
      outputOf: <O>(ref: StepRef<O>): O => {
        if (!depsOf.get(step.id)?.has(ref.id)) {
          throw new WorkflowDefinitionError(`${id}: step "${step.id}" reads "${ref.id}" without depending on it`)
        }
        return outputs.get(ref.id) as O
      },
    })

    const runStep = async (step: AnyStep<Scope>): Promise<void> => {
      const started = performance.now()
      try {
        await hooks.onStepStart?.(step.id)
        const result = await step.invoke(contextFor(step))
        outputs.set(step.id, result.output)
        // Recorded before the success hook so a hook failure still gets this step undone.
        completed.push({ step, result })
        const durationMs = performance.now() - started
        await hooks.onStepSuccess?.(step.id, { durationMs, skipped: result.skipped === true })
      } catch (thrown) {
        const error = thrown instanceof StepFailedError ? thrown.cause : thrown
        // The failing step's partial work is undone with the rest, latest first, so its undo is
        // reported (and retried) like any other; the step itself stays the one that failed.
        if (thrown instanceof StepFailedError && thrown.compensation !== undefined && step.noCompensation !== true) {
          completed.push({ step, result: { output: undefined, compensation: thrown.compensation } })
        }
        fail(step.id, error, new DomainError('InternalError', `${id}: step ${step.id} failed`, { cause: error }))
        await quietly(() => hooks.onStepFailure?.(step.id, error))
        return
      }
      if (failure) return
      const ready: AnyStep<Scope>[] = []
      for (const next of dependents.get(step.id) ?? []) {
        const left = (unmet.get(next.id) ?? 0) - 1
        unmet.set(next.id, left)
        if (left === 0) ready.push(next)
      }
      startTogether(ready)
    }
    const start = (step: AnyStep<Scope>, after?: Promise<void>): void => {
      const run = after ? after.then(() => runStep(step)) : runStep(step)
      running.set(step.id, run.finally(() => running.delete(step.id)))
    }
    // Steps that become ready together start one turn of the event loop apart, in the order the
    // workflow lists them. Concurrent AWS calls are prepared (middleware, signing) interleaved and
    // would all leave together once the last is ready; this way each step's first call leaves as
    // soon as it is ready, and the endpoint, which answers a burst in arrival order, answers the
    // calls the next level waits for first. They count as started together: one whose turn comes
    // after a failure still runs (and is undone), as it would have had they started at once.
    const startTogether = (ready: readonly AnyStep<Scope>[]): void => {
      let turn: Promise<void> | undefined
      ready.forEach((step, i) => {
        if (i > 0) turn = turn ? turn.then(() => nextTurn()) : nextTurn()
        start(step, turn)
      })
    }

    try {
      if (!failure) startTogether(steps.filter((step) => unmet.get(step.id) === 0))
      while (running.size > 0) await Promise.all(running.values())
    } finally {
      options.signal?.removeEventListener('abort', onCallerAbort)
    }

    if (!failure) {
      return { outputs, outputOf: <O>(ref: StepRef<O>): O => outputs.get(ref.id) as O }
    }
    throw new WorkflowFailedError(await rollBack(failure, completed, alsoFailed, scope, hooks))
  }

  /** What a step refers to: the steps it waited for and those it names without waiting. */
  const needs = new Map(steps.map((s) => [s.id, new Set([...(s.dependsOn ?? []), ...(s.uses ?? [])].map(depId))]))

  /**
   * The order of undoing: latest completed first, except that a step is undone before every step it
   * depends on or uses (a task definition registered beside its role is deregistered before the role
   * goes, even when the role's step finished last).
   */
  function undoOrder(completed: Completed<Scope>[]): Completed<Scope>[] {
    const left = [...completed].reverse()
    const order: Completed<Scope>[] = []
    while (left.length > 0) {
      const free = left.findIndex((c) => !left.some((other) => other !== c && needs.get(other.step.id)?.has(c.step.id)))
      // Always found unless `uses` and `dependsOn` form a cycle; then the latest goes first, as before.
      const [next] = left.splice(free === -1 ? 0 : free, 1)
      if (next) order.push(next)
    }
    return order
  }

  // Sequential, latest first, each step before what it depends on or uses: later steps may use what
  // earlier ones created (the service uses the task definition), so they are undone first.
  async function rollBack(
    failure: { step: string; error: unknown },
    completed: Completed<Scope>[],
    alsoFailed: { step: string; error: unknown }[],
    scope: Scope,
    hooks: WorkflowHooks,
  ): Promise<WorkflowFailureReport> {
    const report: WorkflowFailureReport = {
      workflow: id,
      failedStep: failure.step,
      error: failure.error,
      rolledBack: [],
      rollbackFailures: [],
      notRolledBack: [],
      nothingToUndo: [],
      alsoFailed,
    }
    for (const { step, result } of undoOrder(completed)) {
      if (result.skipped === true) {
        report.nothingToUndo.push(step.id)
      } else if (step.noCompensation === true) {
        report.notRolledBack.push({ step: step.id, reason: 'irreversible' })
      } else if (result.compensation === undefined) {
        report.nothingToUndo.push(step.id)
      } else {
        try {
          await step.compensate(result.compensation, { scope })
          report.rolledBack.push(step.id)
          await quietly(() => hooks.onCompensate?.(step.id, { ok: true }))
        } catch (error) {
          // Keep going: one stuck resource must not leave everything else behind too.
          report.rollbackFailures.push({ step: step.id, error })
          await quietly(() => hooks.onCompensate?.(step.id, { ok: false, error }))
        }
      }
    }
    return report
  }

  return { id, steps, run }
}

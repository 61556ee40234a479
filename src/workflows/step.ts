/**
 * Step definitions for the workflow engine: a step is one reversible unit of work (create a cluster,
 * register a task definition) plus the inputs needed to undo it.
 */

/**
 * Typed handle to a step's output. `defineStep` returns one; a dependent step lists it in `dependsOn`
 * and reads the output with `ctx.outputOf(ref)`, so the output type flows without casts.
 */
export interface StepRef<Output> {
  readonly id: string
  /** Phantom member carrying the output type; never set at runtime. */
  readonly __output?: Output
}

/** What a step sees while it runs. `Scope` is the per-run object (account clients, request input, ids). */
export interface StepContext<Scope> {
  readonly scope: Scope
  /**
   * Aborted when the caller cancels the run or another step has failed. A long step (waiting for a
   * service to stabilise) should stop; if it throws it must leave nothing behind, if it returns it is
   * compensated like any other completed step.
   */
  readonly signal: AbortSignal
  /** Output of a step listed in this step's `dependsOn` (anything else would be a race, so it throws). */
  outputOf<O>(ref: StepRef<O>): O
  /**
   * A read several steps of one run need (a lookup of a resource that one step ensures and another
   * only names): the first caller starts `compute`, later callers of the same `key` share its answer,
   * so each step can start without waiting for the other while the lookup is made once per run.
   */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>
}

/** What a compensation sees. No abort signal: a rollback must run to the end even after a cancel. */
export interface CompensateContext<Scope> {
  readonly scope: Scope
}

/**
 * Result of `invoke`. `compensation` is what `compensate` needs to undo the work (an ARN, the ids
 * created); leave it undefined when nothing was changed. `skipped: true` says the step found its
 * resource already there (or had nothing to do): dependents still get `output`, nothing is undone.
 */
export type InvokeResult<Output, Compensation> =
  | { output: Output; compensation?: Compensation; skipped?: false }
  | { output: Output; skipped: true }

interface StepCommon<Output, Compensation, Scope> {
  /** Stable kebab-case id; shows up in reports, metrics and tracked operations. */
  readonly id: string
  /** Steps (or their ids) that must have succeeded before this one starts. */
  readonly dependsOn?: readonly (StepRef<unknown> | string)[]
  /**
   * Steps (or their ids) whose resources this step's result refers to by a name or ARN known in
   * advance, without waiting for them (a task definition names its role and log group): it starts
   * at once, but a rollback undoes it before them, as it would a step that depended on them.
   */
  readonly uses?: readonly (StepRef<unknown> | string)[]
  /**
   * Does the work. A plain throw means nothing was changed. A step that fails after changing
   * something (secrets created before the third one failed) throws `StepFailedError` with the
   * compensation of that partial work instead of undoing it itself: the engine then undoes it in the
   * rollback like a completed step's, so a failure of that undo is reported and handed over too.
   */
  invoke(ctx: StepContext<Scope>): Promise<InvokeResult<Output, Compensation>>
}

/**
 * Thrown by a step's `invoke` that failed after changing something: `cause` is the failure (its status
 * is the answer's, and the step is the report's `failedStep`), `compensation` undoes the partial work
 * (the same shape `compensate` takes; undefined when nothing was left to undo). Only the failing step
 * throws it; the engine unwraps it, so no report or hook ever sees this wrapper.
 */
export class StepFailedError<Compensation = unknown> extends Error {
  readonly compensation: Compensation | undefined

  constructor(cause: unknown, options: { compensation?: Compensation | undefined } = {}) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'StepFailedError'
    this.compensation = options.compensation
  }
}

/** A step that can be undone. `compensate` must succeed when the resource is already gone. */
export interface ReversibleStepDef<Output, Compensation, Scope> extends StepCommon<Output, Compensation, Scope> {
  compensate(compensation: Compensation, ctx: CompensateContext<Scope>): Promise<void>
  readonly noCompensation?: false
}

/** A step that cannot be undone (a delete); a rollback reports it under `notRolledBack`. */
export interface IrreversibleStepDef<Output, Scope> extends StepCommon<Output, never, Scope> {
  readonly noCompensation: true
  readonly compensate?: never
}

export type StepDef<Output, Compensation, Scope> =
  | ReversibleStepDef<Output, Compensation, Scope>
  | IrreversibleStepDef<Output, Scope>

/** A defined step: its definition plus the typed handle dependents use. */
export type Step<Output, Compensation = unknown, Scope = unknown> = StepDef<Output, Compensation, Scope> &
  StepRef<Output>

/**
 * Defines a step. Annotate `invoke`'s ctx (`(ctx: StepContext<MyScope>)`) to type the scope; output
 * and compensation types are inferred from what `invoke` returns.
 */
export function defineStep<Output, Compensation, Scope = unknown>(
  def: ReversibleStepDef<Output, Compensation, Scope>,
): Step<Output, Compensation, Scope>
export function defineStep<Output, Scope = unknown>(def: IrreversibleStepDef<Output, Scope>): Step<Output, never, Scope>
export function defineStep<Output, Compensation, Scope>(
  def: StepDef<Output, Compensation, Scope>,
): Step<Output, Compensation, Scope> {
  return def
}

/** Id of a dependency given as a step ref or a plain id. */
export function depId(dep: StepRef<unknown> | string): string {
  return typeof dep === 'string' ? dep : dep.id
}

/**
 * How a composition wires a step it builds from a factory: the steps it waits for, and one reader
 * per input, each taking the value from the scope or an earlier step's output.
 */
export type StepInputs<Scope, Values> = { readonly dependsOn: readonly StepRef<unknown>[] } & {
  readonly [K in keyof Values]: (ctx: StepContext<Scope>) => Values[K]
}

/**
 * A reversible step of a factory: `invoke` gets its inputs already read (`inputs` wired by the
 * composition), so the factories share how they are wired and keep only their own work.
 */
export function wiredStep<Values extends object, Output, Compensation, Scope>(
  id: string,
  inputs: StepInputs<Scope, Values>,
  def: {
    invoke(ctx: StepContext<Scope>, values: Values): Promise<InvokeResult<Output, Compensation>>
    compensate(compensation: Compensation, ctx: CompensateContext<Scope>): Promise<void>
  },
): Step<Output, Compensation, Scope> {
  const { dependsOn, ...readers } = inputs
  const read = (ctx: StepContext<Scope>): Values =>
    Object.fromEntries(
      Object.entries(readers).map(([key, reader]) => [key, (reader as (c: StepContext<Scope>) => unknown)(ctx)]),
    ) as Values
  return defineStep({
    id,
    dependsOn,
    invoke: (ctx: StepContext<Scope>) => def.invoke(ctx, read(ctx)),
    compensate: (compensation: Compensation, ctx: CompensateContext<Scope>) => def.compensate(compensation, ctx),
  })
}

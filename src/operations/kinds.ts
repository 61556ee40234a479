/**
 * Operation kinds: the code behind an operation. A kind turns its durable input into a list of
 * steps; the runner persists each step's status and output, so the steps must be idempotent: after
 * a crash or a shutdown the step that was in flight runs again, in another process.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Registry } from 'prom-client'
import type { Account } from '../aws/account-clients.js'
import type { Leases } from './leases.js'
import type { OperationRecord, OperationTarget } from './record.js'

/** What a step sees while it runs. */
export interface OperationContext<Input> {
  readonly operationId: string
  readonly kind: string
  /** The durable input given to `start` (as JSON: dates are strings, no functions or classes). */
  readonly input: Input
  readonly target: OperationTarget
  /** The account the operation acts in, resolved in the running process (not the one that started it). */
  readonly account: Account
  /**
   * Aborted when the process must stop now (the shutdown deadline passed). Long waits should end on
   * it; the step runs again after the resume, so giving up leaves nothing to undo.
   */
  readonly signal: AbortSignal
  readonly log: FastifyBaseLogger
  /** The leases requests hold too: a step that must not overlap with them holds the same one. */
  readonly leases: Leases
  /** Output of an earlier step this one (directly or through others) depends on; kept across resumes. */
  outputOf<T>(stepId: string): T
  /** Adds a line to the operation's events, shown to clients (for example "stopped 3 tasks"). */
  event(message: string): Promise<void>
  /**
   * What this step saved with `saveProgress` before (in this run or one a dead or stopped process
   * left), so a long step resumes where it was; undefined at first.
   */
  readonly progress: unknown
  /** Persists this step's progress (JSON; never shown by the operations API). */
  saveProgress(value: unknown): Promise<void>
  /** True once shutdown began: a long step should end soon by throwing `OperationPausedError`. */
  stopping(): boolean
  /** Records of the same account on `targetPath` (or below it), newest first, at most `limit`. */
  related(targetPath: string, limit: number): Promise<readonly OperationRecord[]>
  /** The app's metrics registry, for kinds that count what they observe. */
  readonly metrics: Registry | undefined
}

/**
 * Thrown by a long step that gives way to a shutdown: it is not a failure; the step runs again
 * (with its saved progress) when a process picks the operation up again.
 */
export class OperationPausedError extends Error {
  constructor() {
    super('paused by shutdown')
    this.name = 'OperationPausedError'
  }
}

export interface OperationStep<Input> {
  /** Stable kebab-case id; a resumed operation matches persisted statuses to steps by id. */
  readonly id: string
  /**
   * By default a step starts after the one listed before it has succeeded. With `dependsOn` it starts
   * as soon as the listed steps have succeeded instead (`[]`: at once), so independent work overlaps.
   */
  readonly dependsOn?: readonly string[]
  /** Does the work; must be idempotent. Its output must be JSON and is persisted. */
  run(ctx: OperationContext<Input>): Promise<unknown>
}

export interface OperationKind<Input = unknown> {
  /** Dotted name, for example `taskdef.delete`; stored with every operation of the kind. */
  readonly name: string
  /**
   * The steps for one input. Called when the operation starts and again on every resume, so it
   * must be deterministic: the same input gives the same step ids.
   */
  steps(input: Input): readonly OperationStep<Input>[]
  /**
   * The run spends its time waiting on something else (a deployment tracker): with the embedded
   * store it runs beside `operations.concurrency` instead of holding one of its slots.
   */
  readonly waits?: boolean
  /**
   * What a finished operation came to, in the kind's words, for its audit record: where the
   * operation's own status says too little (a deployment's tracking succeeds whatever its outcome).
   */
  readonly result?: (record: OperationRecord) => string | undefined
}

/** Defines a kind (an identity function that fixes the input type for its steps). */
export function defineOperationKind<Input>(kind: OperationKind<Input>): OperationKind<Input> {
  return kind
}

/** Registering two kinds under one name is a bug, found at start-up. */
export class DuplicateOperationKindError extends Error {
  constructor(name: string) {
    super(`operation kind "${name}" is already registered`)
    this.name = 'DuplicateOperationKindError'
  }
}

/**
 * Kinds by name. Each app has its own registry (its kinds are given when the app is built) that falls
 * back to the process-wide `operationKinds`, registered at module load.
 */
export class OperationKindRegistry {
  readonly #kinds = new Map<string, OperationKind<never>>()
  readonly #parent: OperationKindRegistry | undefined

  constructor(parent?: OperationKindRegistry) {
    this.#parent = parent
  }

  register<Input>(kind: OperationKind<Input>): void {
    if (this.get(kind.name)) throw new DuplicateOperationKindError(kind.name)
    this.#kinds.set(kind.name, kind)
  }

  get(name: string): OperationKind<unknown> | undefined {
    return this.#kinds.get(name) ?? this.#parent?.get(name)
  }
}

/** Process-wide kinds, registered at module load; every app's registry sees them. */
export const operationKinds = new OperationKindRegistry()

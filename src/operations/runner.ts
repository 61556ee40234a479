import type { ExecutionControl, ExecutionOutcome } from './executor.js'

/** Runs one operation to its end or to a shutdown (the executor, bound to its dependencies). */
export type Execute = (id: string, control: ExecutionControl) => Promise<ExecutionOutcome>

/** Decides where and when operations run: in this process (SQLite) or on any replica (BullMQ). */
export interface OperationRunner {
  /** Hands a stored, queued operation over for running. */
  enqueue(id: string): Promise<void>
  /** Starts working, including operations a previous process left unfinished. */
  start(): Promise<void>
  /** Stops taking work; operations in flight stop after their current step. Does not wait. */
  beginStop(): void
  /**
   * Waits for operations in flight to reach the end of their step, up to `deadlineMs` after
   * `beginStop`; then aborts their steps and lets them go unfinished (they resume elsewhere).
   */
  stop(deadlineMs: number): Promise<void>
  /** Releases connections; after `stop`. */
  close(): Promise<void>
  /** Throws when the runner cannot take work (readiness). */
  check(): Promise<void>
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when `work` settles or after `ms`, whichever is first; answers whether work settled. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (!Number.isFinite(ms)) {
    await work.catch(() => undefined)
    return true
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))))
  try {
    return await Promise.race([work.then(() => true as const, () => true as const), timeout])
  } finally {
    clearTimeout(timer)
  }
}

import { setFlagsFromString } from 'node:v8'

/** The Node flag of `npm start` that keeps V8's optimizing compiler off while the service loads. */
export const OPTIMIZER_OFF_WHILE_LOADING = '--no-turbofan'

/**
 * Turns V8's optimizing compiler (TurboFan) on once the service listens, when the start command
 * kept it off for loading (`npm start` passes `--no-turbofan`). Returns whether it did.
 *
 * Loading the service runs Node's module loader over some 800 modules, and its resolution and
 * URL functions get hot enough for TurboFan: about 70 functions optimized that no request needs,
 * which pulls about 3 MiB of the compiler's own machine code (pages of the `node` binary) and its
 * output into memory before the first request. Off while loading, then on: an idle process holds
 * about 4.5 MiB less, and from the first request on functions are optimized exactly as before
 * (bench/README.md, "Deferring the optimizing compiler"). It only switches the flag on, so a
 * process started without `--no-turbofan` is left as it was.
 */
export function startOptimizingAfterLoading(execArgv: readonly string[] = process.execArgv): boolean {
  if (!execArgv.includes(OPTIMIZER_OFF_WHILE_LOADING)) return false
  setFlagsFromString('--turbofan')
  return true
}

/**
 * Waiting on events in tests instead of sleeping: a promise a test (or the code it drives) resolves
 * when something happens, and a deadline after which waiting counts as the failure it is.
 *
 * No test-framework imports here (see ./moto.ts).
 */

/** A promise with its resolve and reject, for code a test runs to signal an event. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(reason: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * `promise`'s outcome, or a rejection naming `what` when it has not settled within `timeoutMs`.
 * The deadline only bounds a wait for an event that should come; it never stands in for one.
 */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

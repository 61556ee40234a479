/**
 * Polling with back-off for trackers and followers: fast while something moves, slower while idle,
 * and stopped at once by an abort signal (a client that went away, a process shutting down).
 */

export type PollResult = 'progress' | 'idle' | 'done'

export interface PollOptions {
  /** Delay after a round that made progress, and the first delay after idling starts. */
  minMs: number
  /** The longest delay between two rounds while nothing changes. */
  maxMs: number
  /** How much the delay grows per idle round. */
  factor?: number
  signal?: AbortSignal
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Runs `round` until it answers `done` or `signal` aborts, backing off while it answers `idle`. */
export async function pollWithBackoff(round: () => Promise<PollResult>, options: PollOptions): Promise<void> {
  const { minMs, maxMs, factor = 2, signal } = options
  let idleDelay = minMs
  while (!signal?.aborted) {
    const result = await round()
    if (result === 'done' || signal?.aborted) return
    if (result === 'progress') {
      idleDelay = minMs
      await pause(minMs, signal)
    } else {
      await pause(idleDelay, signal)
      idleDelay = Math.min(maxMs, idleDelay * factor)
    }
  }
}

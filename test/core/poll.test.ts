/**
 * The poll behind log follows and deployment trackers: fast while something moves, doubling its
 * delay while idle up to the bound, back to the fastest on progress, and stopped by its signal. Run
 * on vitest's fake clock, so the delays are read from when rounds happen, not measured.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { pollWithBackoff, type PollResult } from '../../src/core/poll.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Runs a poll whose rounds answer `answers` in turn (then `idle`), noting the fake clock of each round. */
function startPoll(answers: PollResult[], signal?: AbortSignal) {
  const at: number[] = []
  const start = Date.now()
  const done = pollWithBackoff(
    async () => {
      at.push(Date.now() - start)
      return answers.shift() ?? 'idle'
    },
    { minMs: 100, maxMs: 400, ...(signal ? { signal } : {}) },
  )
  return { at, done }
}

describe('pollWithBackoff', () => {
  it('doubles the delay while idle up to the bound, and goes back to the fastest after progress', async () => {
    const { at } = startPoll(['idle', 'idle', 'idle', 'idle', 'progress', 'idle'])
    await vi.advanceTimersByTimeAsync(2_000)
    // Delays 100, 200, 400, 400 (bound), then 100 after progress, 100 as idling starts again, 200, ...
    expect(at.slice(0, 9)).toEqual([0, 100, 300, 700, 1100, 1200, 1300, 1500, 1900])
  })

  it('stops on done, and at once when its signal aborts mid-wait', async () => {
    const finished = startPoll(['progress', 'done'])
    await vi.advanceTimersByTimeAsync(1_000)
    await finished.done
    expect(finished.at).toEqual([0, 100])

    const controller = new AbortController()
    const aborted = startPoll([], controller.signal)
    await vi.advanceTimersByTimeAsync(150)
    controller.abort()
    await aborted.done
    await vi.advanceTimersByTimeAsync(5_000)
    expect(aborted.at).toEqual([0, 100])
  })
})

/**
 * Polling with back-off (the deployment trackers and the followers of a deployment): the delay
 * doubles while rounds are idle, up to the maximum, goes back to the minimum after progress, and
 * an abort stops the polling at once. Run on a fake clock: the delays are the scheduled ones.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { pollWithBackoff, type PollResult } from '../../src/core/poll.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Runs the rounds' answers in order and answers the delays before each round after the first. */
async function delaysOf(answers: PollResult[], minMs: number, maxMs: number): Promise<number[]> {
  const at: number[] = []
  let i = 0
  const done = pollWithBackoff(
    async () => {
      at.push(Date.now())
      return answers[i++] ?? 'done'
    },
    { minMs, maxMs },
  )
  await vi.runAllTimersAsync()
  await done
  return at.slice(1).map((t, k) => t - at[k]!)
}

describe('pollWithBackoff', () => {
  it('doubles the delay while idle up to the maximum, and starts again from the minimum after progress', async () => {
    const answers: PollResult[] = ['idle', 'idle', 'idle', 'idle', 'idle', 'progress', 'idle', 'idle', 'done']
    expect(await delaysOf(answers, 2_000, 15_000)).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 2_000, 2_000, 4_000])
  })

  it('stops at once when its signal aborts, without another round', async () => {
    const stop = new AbortController()
    let rounds = 0
    const done = pollWithBackoff(
      async () => {
        rounds += 1
        return 'idle'
      },
      { minMs: 2_000, maxMs: 15_000, signal: stop.signal },
    )
    await vi.advanceTimersByTimeAsync(2_000 + 4_000)
    expect(rounds).toBe(3)
    stop.abort()
    await done
    await vi.runAllTimersAsync()
    expect(rounds).toBe(3)
  })
})

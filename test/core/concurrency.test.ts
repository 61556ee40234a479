import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { chunk, mapWithConcurrency } from '../../src/core/concurrency.js'

describe('mapWithConcurrency', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0
    let peak = 0
    const out = await mapWithConcurrency(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        running++
        peak = Math.max(peak, running)
        // Items take one to three turns of the event loop, so they finish out of their order.
        for (let turns = 0; turns < 3 - (n % 3); turns++) await turn()
        running--
        return n * 2
      },
      3,
    )
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
    expect(peak).toBe(3)
  })

  it('handles an empty list and propagates the first error', async () => {
    expect(await mapWithConcurrency([], async () => 1)).toEqual([])
    await expect(mapWithConcurrency([1, 2], async (n) => { if (n === 2) throw new Error('boom'); return n })).rejects.toThrow('boom')
  })
})

describe('chunk', () => {
  it('splits into batches', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 10)).toEqual([])
  })
})

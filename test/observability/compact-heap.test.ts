/**
 * The one compacting collection after start-up: it runs in the process itself (no `--expose-gc` on
 * the command line) and leaves no `gc` behind for the service or for contexts created later. What it
 * saves is measured by the bench (bench/README.md), not here.
 */
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { compactHeapOnce } from '../../src/observability/compact-heap.js'

describe('compactHeapOnce', () => {
  it('collects without --expose-gc and leaves gc unexposed afterwards', () => {
    const hadGc = 'gc' in globalThis
    expect(() => compactHeapOnce()).not.toThrow()
    expect('gc' in globalThis).toBe(hadGc)
    expect(runInNewContext('typeof gc')).toBe('undefined')
    // Twice is harmless (a restart of the listener in tests, say).
    expect(() => compactHeapOnce()).not.toThrow()
  })
})

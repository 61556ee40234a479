/**
 * V8's optimizing compiler, kept off by `npm start` while the service loads, is on once it listens.
 * Each case runs in a Node process of its own (the flag is process-wide) and asks V8 itself whether
 * a function can be optimized (`--allow-natives-syntax`); what the deferral saves is measured by
 * the bench (bench/README.md), not here.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const MODULE = new URL('../../src/observability/optimizing-compiler.ts', import.meta.url).href

/** Runs `startOptimizingAfterLoading()` in a fresh process with `nodeFlags`; what V8 says before and after. */
function probe(nodeFlags: string[]): { before: boolean; switched: boolean; after: boolean } {
  const script = `
    const { startOptimizingAfterLoading } = await import(${JSON.stringify(MODULE)})
    function hot(a, b) { return a * b + 1 }
    const optimizes = () => {
      %PrepareFunctionForOptimization(hot); hot(1, 2); hot(3, 4);
      %OptimizeFunctionOnNextCall(hot); hot(5, 6);
      return (%GetOptimizationStatus(hot) & 16) !== 0
    }
    const before = optimizes()
    const switched = startOptimizingAfterLoading()
    console.log(JSON.stringify({ before, switched, after: optimizes() }))
  `
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', ...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  expect(res.stderr).toBe('')
  return JSON.parse(res.stdout) as { before: boolean; switched: boolean; after: boolean }
}

describe('startOptimizingAfterLoading', () => {
  it('turns the optimizing compiler on when the start command kept it off for loading', () => {
    expect(probe(['--no-turbofan'])).toEqual({ before: false, switched: true, after: true })
  })

  it('leaves a process started without the flag as it was', () => {
    expect(probe([])).toEqual({ before: true, switched: false, after: true })
  })
})

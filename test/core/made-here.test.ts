/** The memory of what a process created: bounded, per account, nothing kept with a TTL of 0. */
import { describe, expect, it } from 'vitest'
import { MadeHere, madeHereOf } from '../../src/core/made-here.js'

describe('MadeHere', () => {
  it('remembers and forgets names, at most `max` of them, the least recently used going first', () => {
    const made = new MadeHere<string>({ ttlMs: 60_000, max: 2 })
    made.remember('a', 'arn-a')
    made.remember('b', 'arn-b')
    expect(made.get('a')).toBe('arn-a')
    made.remember('c', 'arn-c')
    expect([made.get('a'), made.get('b'), made.get('c')]).toEqual(['arn-a', undefined, 'arn-c'])
    made.forget('a', undefined, 'c')
    expect([made.get('a'), made.get('c')]).toEqual([undefined, undefined])
  })

  it('keeps nothing with a TTL of 0', () => {
    const made = new MadeHere<true>({ ttlMs: 0 })
    made.remember('/org/app/p1', true)
    expect(made.get('/org/app/p1')).toBeUndefined()
  })

  it('is one per account object', () => {
    const accountA = {}
    const memory = madeHereOf(accountA, 60_000)
    expect(madeHereOf(accountA, 60_000)).toBe(memory)
    memory.parameters.remember('/org/app/p1', true)
    expect(madeHereOf({}, 60_000).parameters.get('/org/app/p1')).toBeUndefined()
  })
})

/** The memory of roles and log groups known to exist: bounded, per account, nothing kept with a TTL of 0. */
import { describe, expect, it } from 'vitest'
import { ExistingResources, existingResourcesOf } from '../../src/core/existing-resources.js'

describe('ExistingResources', () => {
  it('remembers and forgets roles and log groups, at most `max` of each, the least recently used going first', () => {
    const known = new ExistingResources({ ttlMs: 60_000, max: 2 })
    for (const name of ['a', 'b', 'c']) known.rememberRole(name)
    expect(['a', 'b', 'c'].map((n) => known.hasRole(n))).toEqual([false, true, true])
    known.forgetRole('b')
    expect(known.hasRole('b')).toBe(false)

    // The ARN is kept without DescribeLogGroups' trailing `:*`; an empty one is not kept.
    known.rememberLogGroup('g', 'arn:aws:logs:us-east-1:123456789012:log-group:g:*')
    known.rememberLogGroup('h', '')
    expect(known.logGroupArn('g')).toBe('arn:aws:logs:us-east-1:123456789012:log-group:g')
    expect(known.logGroupArn('h')).toBeUndefined()
    known.forgetLogGroup('g')
    expect(known.logGroupArn('g')).toBeUndefined()
  })

  it('keeps nothing with a TTL of 0', () => {
    const known = new ExistingResources({ ttlMs: 0 })
    known.rememberRole('r')
    known.rememberLogGroup('g', 'arn:aws:logs:us-east-1:123456789012:log-group:g')
    expect([known.hasRole('r'), known.logGroupArn('g')]).toEqual([false, undefined])
  })

  it('is one per account object, made only with a TTL', () => {
    const accountA = {}
    expect(existingResourcesOf(accountA)).toBeUndefined()
    const memory = existingResourcesOf(accountA, 60_000)
    expect(existingResourcesOf(accountA)).toBe(memory)
    memory.rememberRole('r')
    expect(existingResourcesOf({}, 60_000).hasRole('r')).toBe(false)
  })
})

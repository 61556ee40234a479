import { describe, expect, it } from 'vitest'
import { checkTags } from '../../../src/domain/secrets/tag-rules.js'

describe('checkTags', () => {
  it('returns complete Key/Value pairs; an empty value is allowed', () => {
    expect(checkTags([{ Key: 'a', Value: '' }, { Key: 'b c:/=+-@._', Value: 'ü 1' }])).toEqual([
      { Key: 'a', Value: '' },
      { Key: 'b c:/=+-@._', Value: 'ü 1' },
    ])
    expect(checkTags(undefined)).toEqual([])
  })

  it('names the first bad tag', () => {
    expect(() => checkTags([{ Key: 'ok', Value: 'v' }, { Value: 'v' }])).toThrow('Tags[1].Key is required')
    expect(() => checkTags([{ Key: 'k' }])).toThrow('Tags[0].Value is required')
    expect(() => checkTags([{ Key: 'k#', Value: 'v' }])).toThrow('Tags[0].Key may only contain')
    expect(() => checkTags([{ Key: 'k', Value: 'v;' }])).toThrow('Tags[0].Value may only contain')
    expect(() => checkTags([{ Key: 'AWS:x', Value: 'v' }])).toThrow('reserved for AWS')
    expect(() => checkTags([{ Key: 'k'.repeat(129), Value: 'v' }])).toThrow('longer than 128')
    expect(() => checkTags([{ Key: 'k', Value: 'v'.repeat(257) }])).toThrow('longer than 256')
    expect(() => checkTags([{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }])).toThrow('Tags[1].Key k is given twice')
    expect(() => checkTags(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })))).toThrow('at most 50')
  })
})

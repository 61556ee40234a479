import { describe, expect, it } from 'vitest'
import { ECS_NAME } from '../../src/core/ecs-name.js'
import { ForbiddenError } from '../../src/core/errors.js'
import { belongsToOrg, checkTags, MAX_ECS_CLIENT_TAGS, MAX_TAGS, orgTags, withoutOrgTags } from '../../src/core/tags.js'

const rules = { field: 'Tags', max: MAX_TAGS }

describe('checkTags', () => {
  it('returns complete Key/Value pairs; an empty value is allowed', () => {
    expect(checkTags([{ Key: 'a', Value: '' }, { Key: 'b c:/=+-@._', Value: 'ü 1' }], rules)).toEqual([
      { Key: 'a', Value: '' },
      { Key: 'b c:/=+-@._', Value: 'ü 1' },
    ])
    expect(checkTags(undefined, rules)).toEqual([])
  })

  it('names the first bad tag', () => {
    expect(() => checkTags([{ Key: 'ok', Value: 'v' }, { Value: 'v' }], rules)).toThrow('Tags[1].Key is required')
    expect(() => checkTags([{ Key: '', Value: 'v' }], { field: 'tags', max: MAX_ECS_CLIENT_TAGS })).toThrow('tags[0].Key is required')
    expect(() => checkTags([{ Key: 'k' }], rules)).toThrow('Tags[0].Value is required')
    expect(() => checkTags([{ Key: 'k#', Value: 'v' }], rules)).toThrow('Tags[0].Key may only contain')
    expect(() => checkTags([{ Key: 'k', Value: 'v;' }], rules)).toThrow('Tags[0].Value may only contain')
    expect(() => checkTags([{ Key: 'AWS:x', Value: 'v' }], rules)).toThrow('reserved for AWS')
    expect(() => checkTags([{ Key: 'k'.repeat(129), Value: 'v' }], rules)).toThrow('longer than 128')
    expect(() => checkTags([{ Key: 'k', Value: 'v'.repeat(257) }], rules)).toThrow('longer than 256')
    expect(() => checkTags([{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }], rules)).toThrow('Tags[1].Key k is given twice')
  })

  it('allows at most max tags', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: '' }))
    expect(checkTags(tags(50), rules)).toHaveLength(50)
    expect(() => checkTags(tags(51), rules)).toThrow('Tags has 51 tags; at most 50')
    expect(() => checkTags(tags(47), { field: 'tags', max: MAX_ECS_CLIENT_TAGS })).toThrow('tags has 47 tags; at most 46')
  })
})

describe('org tags in client input', () => {
  it.each(['spinup:org', 'yale:org'])('refuses %s naming another org with 403 and drops one naming ours', (key) => {
    expect(() => withoutOrgTags([{ Key: key, Value: 'otherorg' }], 'ours')).toThrow(ForbiddenError)
    expect(withoutOrgTags([{ Key: key, Value: 'ours' }, { Key: 'k', Value: 'v' }], 'ours')).toEqual([{ Key: 'k', Value: 'v' }])
    expect(orgTags([{ Key: key, Value: 'ours' }], 'ours')).toEqual([{ Key: 'spinup:org', Value: 'ours' }])
  })

  it('places a resource in an org by spinup:org only, in either spelling', () => {
    expect(belongsToOrg([{ Key: 'spinup:org', Value: 'ours' }], 'ours')).toBe(true)
    expect(belongsToOrg([{ key: 'spinup:org', value: 'ours' }], 'ours')).toBe(true)
    expect(belongsToOrg([{ Key: 'yale:org', Value: 'ours' }], 'ours')).toBe(false)
    expect(belongsToOrg(undefined, 'ours')).toBe(false)
  })
})

describe('ECS_NAME', () => {
  it('takes letters, digits, hyphens and underscores anywhere, 1 to 255', () => {
    for (const ok of ['web', '_web', '-web', 'a_b-C9', 'x'.repeat(255)]) expect(ECS_NAME.test(ok)).toBe(true)
    for (const bad of ['', 'a.b', 'a b', 'a/b', 'x'.repeat(256)]) expect(ECS_NAME.test(bad)).toBe(false)
  })
})

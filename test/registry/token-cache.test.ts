import { describe, expect, it } from 'vitest'
import { TokenCache } from '../../src/registry/token-cache.js'

const alice = { username: 'alice', password: 'alice-secret-pw' }

describe('TokenCache', () => {
  it('keys by registry, scope and caller, and never holds the password', () => {
    const cache = new TokenCache()
    const key = cache.key('Registry.example:5000', 'repository:a:pull', alice)
    expect(key).not.toContain('alice-secret-pw')
    expect(key).toBe(cache.key('registry.example:5000', 'repository:a:pull', { ...alice }))
    const others = [
      cache.key('registry.example:5000', 'repository:a:pull', undefined),
      cache.key('registry.example:5000', 'repository:a:pull', { ...alice, password: 'other' }),
      cache.key('registry.example:5000', 'repository:b:pull', alice),
      cache.key('registry.example:5001', 'repository:a:pull', alice),
    ]
    expect(new Set([key, ...others]).size).toBe(5)
    // another process (or app instance) derives different identity keys
    expect(new TokenCache().key('registry.example:5000', 'repository:a:pull', alice)).not.toBe(key)
  })

  it('forgets a token at 90 % of its lifetime', () => {
    let now = 1_000_000
    const cache = new TokenCache({ now: () => now })
    cache.set('k', 'tok', 300)
    now += 269_000
    expect(cache.get('k')).toBe('tok')
    now += 1_000
    expect(cache.get('k')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('drops the least recently used entry beyond its size, and deletes on demand', () => {
    const cache = new TokenCache({ maxEntries: 2 })
    cache.set('a', '1', 60)
    cache.set('b', '2', 60)
    expect(cache.get('a')).toBe('1') // a is now the most recently used
    cache.set('c', '3', 60)
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['1', undefined, '3'])
    cache.delete('a')
    expect(cache.get('a')).toBeUndefined()
  })
})

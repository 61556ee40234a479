import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { cachingProvider } from '../../src/aws/credentials.js'

const minutes = (n: number) => new Date(Date.now() + n * 60_000)

describe('cachingProvider', () => {
  it('shares one fetch between concurrent callers and reuses fresh credentials', async () => {
    let fetches = 0
    const provider = cachingProvider(async () => {
      fetches++
      // Still fetching while the other callers ask: they all called before this resumes.
      await turn()
      return { accessKeyId: `k${fetches}`, secretAccessKey: 's', expiration: minutes(60) }
    })
    const all = await Promise.all(Array.from({ length: 10 }, () => provider()))
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['k1']))
    expect((await provider()).accessKeyId).toBe('k1')
    expect(fetches).toBe(1)
  })

  it('renews credentials that expire within five minutes', async () => {
    let fetches = 0
    const provider = cachingProvider(async () => {
      fetches++
      return { accessKeyId: `k${fetches}`, secretAccessKey: 's', expiration: minutes(fetches === 1 ? 4 : 60) }
    })
    expect((await provider()).accessKeyId).toBe('k1')
    expect((await provider()).accessKeyId).toBe('k2')
    expect((await provider()).accessKeyId).toBe('k2')
  })

  it('does not cache a failure', async () => {
    let fetches = 0
    const provider = cachingProvider(async () => {
      fetches++
      if (fetches === 1) throw new Error('STS unavailable')
      return { accessKeyId: 'k', secretAccessKey: 's' }
    })
    await expect(provider()).rejects.toThrow('STS unavailable')
    expect((await provider()).accessKeyId).toBe('k')
  })
})

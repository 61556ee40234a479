import { hash } from '@node-rs/bcrypt'
import { describe, expect, it } from 'vitest'
import { Authenticator } from '../../src/http/authenticator.js'

const token = 'a-long-shared-token'
const make = (tokens = [token]) => new Authenticator({ tokens, maxBcryptCost: 12, cacheSize: 100 })

describe('Authenticator', () => {
  it('accepts a bcrypt hash of a configured token and rejects one of another value', async () => {
    const auth = make()
    expect(await auth.check(await hash(token, 4), undefined)).toEqual({ ok: true, tokenId: 'token-0' })
    expect((await auth.check(await hash('wrong', 4), undefined)).ok).toBe(false)
  })

  it('accepts any configured token (rotation)', async () => {
    const auth = make(['old-token-xxxxxxxx', 'new-token-xxxxxxxx'])
    expect((await auth.check(await hash('new-token-xxxxxxxx', 4), undefined)).ok).toBe(true)
    expect((await auth.check(undefined, 'Bearer old-token-xxxxxxxx')).ok).toBe(true)
  })

  it('names the token that matched by its position in the config, never by its value', async () => {
    const auth = make(['old-token-xxxxxxxx', 'new-token-xxxxxxxx'])
    expect(await auth.check(await hash('new-token-xxxxxxxx', 4), undefined)).toEqual({ ok: true, tokenId: 'token-1' })
    expect(await auth.check(undefined, 'Bearer new-token-xxxxxxxx')).toEqual({ ok: true, tokenId: 'token-1' })
    expect(await auth.check(undefined, 'Bearer old-token-xxxxxxxx')).toEqual({ ok: true, tokenId: 'token-0' })
  })

  it('accepts Bearer tokens and rejects others, and other schemes', async () => {
    const auth = make()
    expect((await auth.check(undefined, `Bearer ${token}`)).ok).toBe(true)
    expect((await auth.check(undefined, `bearer ${token}`)).ok).toBe(true)
    expect((await auth.check(undefined, `Bearer ${token}x`)).ok).toBe(false)
    expect((await auth.check(undefined, 'Basic Zm9vOmJhcg==')).ok).toBe(false)
    expect((await auth.check(undefined, undefined)).ok).toBe(false)
  })

  it('refuses a hash whose cost exceeds the maximum without hashing it', async () => {
    const auth = make()
    const cost31 = `$2b$31$${'a'.repeat(53)}`
    const result = await auth.check(cost31, undefined)
    expect(result).toEqual({ ok: false, reason: 'bcrypt cost 31 exceeds the allowed maximum 12' })
    expect(auth.bcryptRuns).toBe(0)
  })

  it('rejects values that are not bcrypt hashes without hashing', async () => {
    const auth = make()
    for (const value of [token, 'x', `$2b$04$${'a'.repeat(10)}`]) {
      expect((await auth.check(value, undefined)).ok).toBe(false)
    }
    expect(auth.bcryptRuns).toBe(0)
  })

  it('runs bcrypt once for a header repeated 1,000 times, concurrently and sequentially', async () => {
    const auth = make()
    const header = await hash(token, 10)
    const concurrent = await Promise.all(Array.from({ length: 500 }, () => auth.check(header, undefined)))
    for (let i = 0; i < 500; i++) expect((await auth.check(header, undefined)).ok).toBe(true)
    expect(concurrent.every((r) => r.ok)).toBe(true)
    expect(auth.bcryptRuns).toBe(1)
  })

  it('remembers a failed hash so repeating it costs no further bcrypt', async () => {
    const auth = make()
    const bad = await hash('not-the-token', 4)
    for (let i = 0; i < 10; i++) expect((await auth.check(bad, undefined)).ok).toBe(false)
    expect(auth.bcryptRuns).toBe(1)
  })
})

describe('Authenticator under a flood of distinct hashes', () => {
  it('runs at most two bcrypts at once and turns away what the queue cannot hold', async () => {
    const auth = make()
    const hashes = await Promise.all(Array.from({ length: 40 }, (_, i) => hash(`wrong-${i}`, 4)))
    const results = await Promise.all(hashes.map((h) => auth.check(h, undefined)))
    const busy = results.filter((r) => !r.ok && 'busy' in r && r.busy)
    // 2 running + 32 queued are verified (and fail); the other 6 are refused without hashing.
    expect(busy).toHaveLength(6)
    expect(auth.bcryptRuns).toBe(34)
    // Once the flood is over, a valid hash is verified again.
    expect((await auth.check(await hash(token, 4), undefined)).ok).toBe(true)
  })
})

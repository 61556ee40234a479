import type { LookupAddress } from 'node:dns'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../src/core/errors.js'
import { NetworkGuard, type Resolver } from '../../src/registry/network-guard.js'

const zone: Record<string, string[]> = {
  'public.example': ['52.94.76.1', '2a05:d018::1'],
  'internal.example': ['10.0.0.5'],
  'mixed.example': ['52.94.76.1', '127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'mapped.example': ['::ffff:192.168.0.10'],
}
const fakeResolver: Resolver = async (hostname) => {
  const addresses = zone[hostname]
  if (addresses) return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }))
  if (hostname === 'flaky.example') throw Object.assign(new Error('queryA ESERVFAIL'), { code: 'ESERVFAIL' })
  if (hostname === 'slow.example') return await new Promise<never>(() => {})
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
}

const signal = (): AbortSignal => AbortSignal.timeout(5000)

async function refusal(guard: NetworkGuard, url: string, s = signal()): Promise<DomainError> {
  try {
    await guard.resolve(new URL(url), 'registry host', s)
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    return err as DomainError
  }
  throw new Error(`allowed ${url}`)
}

describe('NetworkGuard', () => {
  const guard = new NetworkGuard([], fakeResolver)

  it('returns the checked addresses of a public host (the transport connects to exactly these)', async () => {
    expect(await guard.resolve(new URL('https://public.example/v2/'), 'registry host', signal())).toEqual([
      { address: '52.94.76.1', family: 4 },
      { address: '2a05:d018::1', family: 6 },
    ])
    expect(await guard.resolve(new URL('https://8.8.8.8/v2/'), 'registry host', signal())).toEqual([{ address: '8.8.8.8', family: 4 }])
  })

  it.each([
    ['https://internal.example/v2/', 'registry host "internal.example" resolves to a private (RFC 1918) address; refused'],
    ['https://mixed.example/v2/', 'resolves to a loopback address'],
    ['https://metadata.example/v2/', 'resolves to a cloud metadata address'],
    ['https://mapped.example/v2/', 'resolves to a private (RFC 1918) address'],
    ['http://127.0.0.1:5000/v2/', 'registry host "127.0.0.1:5000" is a loopback address; refused'],
    ['http://169.254.169.254/v2/', 'is a cloud metadata address'],
    ['http://[::1]:5000/v2/', 'registry host "[::1]:5000" is a loopback address'],
    ['http://[fd00:ec2::254]/v2/', 'is a cloud metadata address'],
    ['http://[::ffff:a9fe:a9fe]/v2/', 'is a cloud metadata address'],
  ])('refuses %s with a 400 naming the reason', async (url, reason) => {
    const err = await refusal(guard, url)
    expect(err.status).toBe(400)
    expect(err.message).toContain(reason)
    expect(err.message).toContain('images.allowedPrivateHosts')
    // the caller learns the kind of network, not the internal address a name resolved to
    expect(err.message).not.toContain('10.0.0.5')
  })

  it('resolves real names with the system resolver: localhost is refused as loopback', async () => {
    const err = await refusal(new NetworkGuard([]), 'http://localhost:5000/v2/')
    expect(err.message).toContain('registry host "localhost:5000" resolves to a loopback address')
  })

  it('lets hosts listed in allowedPrivateHosts through, by name alone or with the port', async () => {
    const allowing = new NetworkGuard(['INTERNAL.example', '127.0.0.1:5000', '[::1]'], fakeResolver)
    expect(await allowing.resolve(new URL('https://internal.example:8443/v2/'), 'registry host', signal())).toEqual([{ address: '10.0.0.5', family: 4 }])
    expect(await allowing.resolve(new URL('http://127.0.0.1:5000/v2/'), 'registry host', signal())).toEqual([{ address: '127.0.0.1', family: 4 }])
    expect(await allowing.resolve(new URL('http://[::1]:7000/v2/'), 'registry host', signal())).toEqual([{ address: '::1', family: 6 }])
    // the port in an entry is part of it
    expect((await refusal(allowing, 'http://127.0.0.1:5001/v2/')).message).toContain('is a loopback address')
    // allowing one host allows no other host on the same network
    expect((await refusal(allowing, 'https://metadata.example/v2/')).message).toContain('cloud metadata')
  })

  it('answers 400 for a name that does not exist and 502 for a failing resolver', async () => {
    const missing = await refusal(guard, 'https://nowhere.example/v2/')
    expect([missing.status, missing.message]).toEqual([400, 'registry host "nowhere.example" does not resolve'])
    const flaky = await refusal(guard, 'https://flaky.example/v2/')
    expect([flaky.status, flaky.message]).toEqual([502, 'could not resolve registry host "flaky.example": ESERVFAIL'])
  })

  it('gives up on a resolver that does not answer before the deadline (502)', async () => {
    const err = await refusal(guard, 'https://slow.example/v2/', AbortSignal.timeout(150))
    expect([err.status, err.message]).toEqual([502, `registry host "slow.example" did not resolve before the image check's deadline`])
  })
})

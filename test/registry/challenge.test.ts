import { describe, expect, it } from 'vitest'
import { bearerChallenge, parseChallenges } from '../../src/registry/challenge.js'

describe('parseChallenges', () => {
  it("reads distribution's Bearer challenge", () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ])
  })

  it('keeps commas inside quoted values (a scope with several actions)', () => {
    expect(bearerChallenge('Bearer realm="https://r.example/t", scope="repository:a/b:pull,push", error="insufficient_scope"')?.params).toEqual({
      realm: 'https://r.example/t',
      scope: 'repository:a/b:pull,push',
      error: 'insufficient_scope',
    })
  })

  it('reads several challenges, token values, escapes and any case', () => {
    expect(parseChallenges('Basic realm="Registry \\"x\\"", BEARER Realm=https://r.example/t , Service = reg')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "x"' } },
      { scheme: 'bearer', params: { realm: 'https://r.example/t', service: 'reg' } },
    ])
    expect(bearerChallenge('Basic realm="x"')).toBeUndefined()
  })

  it('tolerates empty and unreadable headers', () => {
    expect(parseChallenges(undefined)).toEqual([])
    expect(parseChallenges('')).toEqual([])
    expect(parseChallenges('Bearer realm="https://r.example/t", (junk')).toEqual([{ scheme: 'bearer', params: { realm: 'https://r.example/t' } }])
    expect(parseChallenges('Bearer realm="unterminated')).toEqual([{ scheme: 'bearer', params: { realm: '"unterminated' } }])
  })
})

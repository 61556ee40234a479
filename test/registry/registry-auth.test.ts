import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { basicAuthorization, parseRegistryAuth } from '../../src/registry/registry-auth.js'

const b64 = (text: string): string => Buffer.from(text).toString('base64')
const b64url = (text: string): string => Buffer.from(text).toString('base64url')
// This password's JSON encodes with "+" and "/" in standard base64 and "-" and "_" in URL-safe base64.
const PASSWORD = 'p4ss~~~?>>>'
const json = JSON.stringify({ username: 'alice', password: PASSWORD })

function refusal(header: string): InputError {
  try {
    parseRegistryAuth(header)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }
  throw new Error(`accepted ${header}`)
}

describe('parseRegistryAuth', () => {
  it('means an anonymous check when absent or empty', () => {
    expect(parseRegistryAuth(undefined)).toBeUndefined()
    expect(parseRegistryAuth('')).toBeUndefined()
    expect(parseRegistryAuth('   ')).toBeUndefined()
    expect(parseRegistryAuth(b64('{}'))).toBeUndefined()
    expect(parseRegistryAuth(b64('{"username":"","password":""}'))).toBeUndefined()
    expect(parseRegistryAuth(b64('{"username":null}'))).toBeUndefined()
  })

  it('decodes standard base64 (padded) and URL-safe base64 (as the Docker CLI sends it)', () => {
    expect(b64(json)).toMatch(/[+/]/)
    expect(b64url(json)).toMatch(/[-_]/)
    expect(parseRegistryAuth(b64(json))).toEqual({ username: 'alice', password: PASSWORD })
    expect(parseRegistryAuth(b64url(json))).toEqual({ username: 'alice', password: PASSWORD })
    expect(parseRegistryAuth(` ${b64(json)} `)).toEqual({ username: 'alice', password: PASSWORD })
  })

  it('matches keys case-insensitively and ignores other keys', () => {
    const header = b64(JSON.stringify({ Username: 'bob', PASSWORD: 'x', serveraddress: 'quay.io', email: 'b@example.com' }))
    expect(parseRegistryAuth(header)).toEqual({ username: 'bob', password: 'x' })
    expect(parseRegistryAuth(b64('{"username":"token-user"}'))).toEqual({ username: 'token-user', password: '' })
  })

  it.each([
    ['not base64!', 'is not base64'],
    [b64(json).replace('+', '-'), 'is not base64'], // mixed alphabets
    ['abcde', 'malformed base64 length or padding'],
    ['YQ=', 'malformed base64 length or padding'],
    [b64('not json'), 'does not decode to UTF-8 JSON'],
    [Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'), 'does not decode to UTF-8 JSON'],
    [b64('[1,2]'), 'must be a JSON object'],
    [b64('"alice"'), 'must be a JSON object'],
    [b64('null'), 'must be a JSON object'],
    [b64('{"username":1,"password":"x"}'), '"username" must be a string'],
    [b64(`{"username":"a","password":{"p":"${PASSWORD}"}}`), '"password" must be a string'],
    [b64('{"username":"a","Username":"b"}'), 'names "username" more than once'],
    [b64(`{"password":"${PASSWORD}"}`), 'a password but no username'],
    [b64(`{"username":"a:b","password":"${PASSWORD}"}`), 'must not contain ":"'],
    [b64(`{"username":"a\\nb","password":"${PASSWORD}"}`), 'control characters'],
  ])('refuses %j with a 400 that never echoes the header', (header, reason) => {
    const err = refusal(header)
    expect(err.status).toBe(400)
    expect(err.message).toContain('unable to decode registry authentication header')
    expect(err.message).toContain(reason)
    expect(err.message).not.toContain(PASSWORD)
    expect(err.message).not.toContain(header)
  })

  it('builds the Basic authorization value', () => {
    expect(basicAuthorization({ username: 'alice', password: 'pw:with:colons' })).toBe(`Basic ${b64('alice:pw:with:colons')}`)
  })
})

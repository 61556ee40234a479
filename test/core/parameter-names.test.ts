import { describe, expect, it } from 'vitest'
import {
  checkNewName,
  checkPrefix,
  checkRelativeName,
  fullParameterName,
  relativeName,
} from '../../src/core/parameter-names.js'
import { InputError } from '../../src/core/errors.js'

describe('parameter names', () => {
  it('builds /<org>/<prefix>/<name>, nested names included', () => {
    expect(fullParameterName('org', 'app', 'db.password', 'us-east-1')).toBe('/org/app/db.password')
    expect(fullParameterName('org', 'app', 'a/b_c-d', 'us-east-1')).toBe('/org/app/a/b_c-d')
  })

  it('refuses prefixes that are not one segment of SSM characters', () => {
    for (const prefix of ['', 'a/b', 'a b', 'ä', 'a#']) expect(() => checkPrefix(prefix), prefix).toThrow(InputError)
    expect(() => checkPrefix('my-app_1.0')).not.toThrow()
  })

  it("refuses a new Name with '/', empty or with other characters, naming it", () => {
    expect(() => checkNewName('a/b')).toThrow("Name (a/b) cannot contain '/'")
    expect(() => checkNewName('')).toThrow('Name is required')
    expect(() => checkNewName(undefined)).toThrow('Name is required')
    expect(() => checkNewName('a b')).toThrow('may only contain')
  })

  it('refuses relative names with empty segments', () => {
    for (const name of ['/a', 'a/', 'a//b', '']) expect(() => checkRelativeName(name), name).toThrow(InputError)
  })

  it("enforces SSM's depth and length limits", () => {
    const deep = Array.from({ length: 14 }, (_, i) => `l${i}`).join('/')
    expect(() => fullParameterName('org', 'app', deep, 'us-east-1')).toThrow('SSM allows 15')
    expect(() => fullParameterName('org', 'app', 'x'.repeat(1000), 'us-east-1')).toThrow('too long')
  })

  it('gives names relative to a path, and nothing for names outside it', () => {
    expect(relativeName('/org/app/a/b', '/org/app')).toBe('a/b')
    expect(relativeName('/org/app2/a', '/org/app')).toBeUndefined()
    expect(relativeName('/org/app', '/org/app')).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { goTimeString } from '../../src/codec/go-time.js'

describe('goTimeString', () => {
  it("prints a UTC date as Go's time.Time.String() does", () => {
    expect(goTimeString(new Date('2019-10-09T15:43:44Z'))).toBe('2019-10-09 15:43:44 +0000 UTC')
  })

  it('adds fractional seconds only when not zero, without trailing zeros', () => {
    expect(goTimeString(new Date('2019-10-09T15:43:44.120Z'))).toBe('2019-10-09 15:43:44.12 +0000 UTC')
    expect(goTimeString(new Date('2019-10-09T15:43:44.001Z'))).toBe('2019-10-09 15:43:44.001 +0000 UTC')
    expect(goTimeString(new Date('2019-10-09T15:43:44.000Z'))).toBe('2019-10-09 15:43:44 +0000 UTC')
  })
})

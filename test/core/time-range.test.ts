import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { parseDurationMs, parseTimeBound, parseTimeRange } from '../../src/core/time-range.js'

const now = new Date('2026-12-06T12:00:00.000Z')

describe('time ranges', () => {
  it('reads durations, alone and combined', () => {
    expect(parseDurationMs('90s')).toBe(90_000)
    expect(parseDurationMs('15m')).toBe(900_000)
    expect(parseDurationMs('1h30m')).toBe(5_400_000)
    expect(parseDurationMs('7d')).toBe(604_800_000)
    expect(parseDurationMs('250ms')).toBe(250)
    expect(parseDurationMs('15')).toBeUndefined()
    expect(parseDurationMs('m15')).toBeUndefined()
    expect(parseDurationMs('-5m')).toBeUndefined()
  })

  it('counts a duration back from now and takes RFC 3339 times with their zone', () => {
    expect(parseTimeBound('2h', 'since', now).toISOString()).toBe('2026-12-06T10:00:00.000Z')
    expect(parseTimeBound('2026-12-06T08:49:47.5+01:00', 'since', now).toISOString()).toBe('2026-12-06T07:49:47.500Z')
    expect(parseTimeBound('2026-12-06T07:49:47Z', 'until', now).toISOString()).toBe('2026-12-06T07:49:47.000Z')
  })

  it('refuses anything else, naming the parameter', () => {
    for (const bad of ['yesterday', '2026-12-06', '2026-12-06T07:49:47', '2026-13-40T99:00:00Z', '5 minutes']) {
      let thrown: unknown
      try {
        parseTimeBound(bad, 'since', now)
      } catch (err) {
        thrown = err
      }
      expect(thrown, bad).toBeInstanceOf(InputError)
      expect((thrown as InputError).details).toEqual({ field: 'since' })
      expect((thrown as InputError).message).toContain('since')
    }
  })

  it('refuses an until before since and leaves out what is not given', () => {
    expect(parseTimeRange({}, now)).toEqual({})
    expect(parseTimeRange({ since: '1h' }, now)).toEqual({ since: new Date('2026-12-06T11:00:00.000Z') })
    expect(() => parseTimeRange({ since: '1h', until: '2h' }, now)).toThrow(/until .* is before since/)
  })
})

import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { parseScheduleExpression } from '../../src/core/schedule-expression.js'
import { checkTimezone, nextRuns } from '../../src/core/next-runs.js'

/** Friday 27 March 2026, noon UTC: two days before Europe's spring change (Sunday 29 March, 01:00 UTC). */
const FRIDAY = new Date('2026-03-27T12:00:00Z')

function runs(expression: string, timezone: string, after: Date = FRIDAY, rateStart?: Date): string[] {
  return nextRuns({ expression: parseScheduleExpression(expression), timezone, after, rateStart }).map((d) => d.toISOString())
}

function problem(expression: string): { detail: string; position: unknown } {
  try {
    parseScheduleExpression(expression)
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    return { detail: err.message, position: err.details?.position }
  }
  throw new Error(`${expression} was accepted`)
}

// Every expected time below was worked out by hand from the calendar and the zones' offsets.
describe('next runs of a cron expression', () => {
  it('daily at 03:00 UTC', () => {
    expect(runs('cron(0 3 * * ? *)', 'UTC')).toEqual([
      '2026-03-28T03:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
      '2026-03-30T03:00:00.000Z',
      '2026-03-31T03:00:00.000Z',
      '2026-04-01T03:00:00.000Z',
    ])
  })

  it('daily at 03:00 in Europe/Paris moves an hour earlier in UTC when summer time starts (29 March)', () => {
    expect(runs('cron(0 3 * * ? *)', 'Europe/Paris')).toEqual([
      '2026-03-28T02:00:00.000Z', // CET, UTC+1
      '2026-03-29T01:00:00.000Z', // CEST, UTC+2, from 01:00 UTC that day
      '2026-03-30T01:00:00.000Z',
      '2026-03-31T01:00:00.000Z',
      '2026-04-01T01:00:00.000Z',
    ])
  })

  it('daily at 09:00 in America/New_York moves an hour later in UTC when summer time ends (1 November)', () => {
    expect(runs('cron(0 9 * * ? *)', 'America/New_York', new Date('2026-10-30T00:00:00Z'))).toEqual([
      '2026-10-30T13:00:00.000Z', // EDT, UTC-4
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z', // EST, UTC-5
      '2026-11-02T14:00:00.000Z',
      '2026-11-03T14:00:00.000Z',
    ])
  })

  it('a local time the spring change skips (02:30 in Europe/Paris on 29 March) does not run that day', () => {
    expect(runs('cron(30 2 * * ? *)', 'Europe/Paris')).toEqual([
      '2026-03-28T01:30:00.000Z', // CET, UTC+1
      // 29 March: clocks go from 02:00 to 03:00, there is no 02:30
      '2026-03-30T00:30:00.000Z', // CEST, UTC+2
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
      '2026-04-02T00:30:00.000Z',
    ])
    // 02:00 is skipped too; 03:00 exists and runs.
    expect(runs('cron(0 2,3 * * ? *)', 'Europe/Paris', new Date('2026-03-28T12:00:00Z'))).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-30T00:00:00.000Z',
      '2026-03-30T01:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-03-31T01:00:00.000Z',
    ])
  })

  it('local times the autumn change repeats (02:00-02:59 in Europe/Paris on 25 October) run once', () => {
    expect(runs('cron(0/30 2 * * ? *)', 'Europe/Paris', new Date('2026-10-24T12:00:00Z'))).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST, UTC+2
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; at 03:00 CEST clocks go back to 02:00 CET: not again
      '2026-10-26T01:00:00.000Z', // 02:00 CET, UTC+1
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:00:00.000Z',
    ])
  })

  it('every 15 minutes from 10:00, Monday to Friday of 2026 (0/15, names, a year)', () => {
    expect(runs('cron(0/15 10 ? * MON-FRI 2026)', 'UTC')).toEqual([
      '2026-03-30T10:00:00.000Z',
      '2026-03-30T10:15:00.000Z',
      '2026-03-30T10:30:00.000Z',
      '2026-03-30T10:45:00.000Z',
      '2026-03-31T10:00:00.000Z',
    ])
  })

  it('the third Friday (6#3, AWS numbers Sunday 1) and the last day of the month (L)', () => {
    expect(runs('cron(0 10 ? * 6#3 *)', 'UTC')).toEqual([
      '2026-04-17T10:00:00.000Z',
      '2026-05-15T10:00:00.000Z',
      '2026-06-19T10:00:00.000Z',
      '2026-07-17T10:00:00.000Z',
      '2026-08-21T10:00:00.000Z',
    ])
    expect(runs('cron(0 12 L * ? *)', 'UTC')).toEqual([
      '2026-03-31T12:00:00.000Z',
      '2026-04-30T12:00:00.000Z',
      '2026-05-31T12:00:00.000Z',
      '2026-06-30T12:00:00.000Z',
      '2026-07-31T12:00:00.000Z',
    ])
  })

  it('the weekday nearest the 15th (15W) and the last Sunday (1L)', () => {
    // 15 Aug 2026 is a Saturday: the Friday before; 15 Nov 2026 a Sunday: the Monday after.
    expect(runs('cron(0 8 15W 8,11 ? *)', 'UTC').slice(0, 2)).toEqual(['2026-08-14T08:00:00.000Z', '2026-11-16T08:00:00.000Z'])
    expect(runs('cron(0 8 ? * 1L *)', 'UTC').slice(0, 2)).toEqual(['2026-03-29T08:00:00.000Z', '2026-04-26T08:00:00.000Z'])
  })

  it('a year range ends the runs: fewer than five', () => {
    expect(runs('cron(0 0 1 1 ? 2027-2028)', 'UTC')).toEqual(['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z'])
  })
})

describe('next runs of rate and at', () => {
  it('rate(15 minutes) steps from its start, whatever the zone', () => {
    const start = new Date('2026-03-27T11:50:00Z')
    const expected = [
      '2026-03-27T12:05:00.000Z',
      '2026-03-27T12:20:00.000Z',
      '2026-03-27T12:35:00.000Z',
      '2026-03-27T12:50:00.000Z',
      '2026-03-27T13:05:00.000Z',
    ]
    expect(runs('rate(15 minutes)', 'UTC', FRIDAY, start)).toEqual(expected)
    expect(runs('rate(15 minutes)', 'Europe/Paris', FRIDAY, start)).toEqual(expected)
  })

  it('rate(1 day) whose start is still ahead runs first at its start', () => {
    expect(runs('rate(1 day)', 'UTC', FRIDAY, new Date('2026-03-28T06:00:00Z')).slice(0, 2)).toEqual([
      '2026-03-28T06:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ])
  })

  it('at() runs once, at that wall time of the zone; a past one never', () => {
    expect(runs('at(2027-01-01T00:00:00)', 'UTC')).toEqual(['2027-01-01T00:00:00.000Z'])
    expect(runs('at(2027-01-01T00:00:00)', 'Europe/Paris')).toEqual(['2026-12-31T23:00:00.000Z'])
    expect(runs('at(2027-07-01T00:00:00)', 'Europe/Paris')).toEqual(['2027-06-30T22:00:00.000Z'])
    expect(runs('at(2026-01-01T00:00:00)', 'UTC')).toEqual([])
  })
})

describe('bad expressions name the position of the error', () => {
  it.each([
    ['cron(0 3 * * * *)', /exactly one of day-of-month and day-of-week/, 10],
    ['cron(0 3 ? * ? *)', /both day-of-month and day-of-week/, 14],
    ['cron(60 3 * * ? *)', /minutes field "60": 60 is not in 0-59/, 6],
    ['cron(0 24 * * ? *)', /hours field "24"/, 8],
    ['cron(0 3 * 13 ? *)', /month field "13"/, 12],
    ['cron(0 3 ? * 8 *)', /day-of-week field "8"/, 14],
    ['cron(0 3 ? * MON#6 *)', /#6 must be #1 to #5/, 18],
    ['cron(0 3 * * ? 1969)', /year field "1969"/, 16],
    ['cron(0 3 1-x * ? *)', /"x" is not a value/, 12],
    ['cron(0 3 * * ?)', /has 5 cron fields/, 15],
    ['cron(0 3 * * ? * *)', /has 7 cron fields/, 18],
    ['cron(*/0 3 * * ? *)', /step "0"/, 8],
    ['rate(0 minutes)', /positive whole number/, 6],
    ['rate(1 minutes)', /singular unit "minute"/, 8],
    ['rate(5 minute)', /plural unit "minutes"/, 8],
    ['rate(5 weeks)', /"weeks" is not minute/, 8],
    ['rate(five minutes)', /must be rate/, 6],
    ['at(2026-02-30T00:00:00)', /day 30 is not in 02\/2026/, 12],
    ['at(2026-02-3T00:00:00)', /must be at\(yyyy-mm-ddThh:mm:ss\)/, 13],
    ['at(2026-01-01T24:00:00)', /hour 24/, 15],
    ['every day', /must be cron\(...\), rate\(...\) or at\(...\)/, 1],
    ['cron(0 3 * * ? *', /must end with "\)"/, 16],
  ])('%s', (expression, detail, position) => {
    const got = problem(expression)
    expect(got.detail).toMatch(detail)
    expect(got.detail).toContain(`at position ${position}`)
    expect(got.position).toBe(position)
  })
})

describe('time zones', () => {
  it('takes IANA names and refuses unknown ones, naming the field', () => {
    expect(checkTimezone('Europe/Paris')).toBe('Europe/Paris')
    expect(checkTimezone('UTC')).toBe('UTC')
    for (const bad of ['Mars/Olympus', 'CEST+1', '']) {
      try {
        checkTimezone(bad)
        throw new Error(`${bad} was accepted`)
      } catch (err) {
        expect(err).toBeInstanceOf(InputError)
        expect((err as InputError).details?.field).toBe('timezone')
      }
    }
  })
})

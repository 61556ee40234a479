import { Cron } from './lazy/croner.js'
import { fieldError } from './errors.js'
import { expressionError, type ScheduleExpression } from './schedule-expression.js'

/** How many coming run times every schedule answer shows. */
export const NEXT_RUN_COUNT = 5

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const

/**
 * A time zone AWS can take: an IANA name the runtime's time-zone database knows. `Intl` refuses
 * unknown names, so the check needs no list of our own.
 */
export function checkTimezone(timezone: unknown, field = 'timezone'): string {
  if (typeof timezone !== 'string' || timezone.trim() === '') {
    throw fieldError(field, `${field} must be an IANA time zone name such as Europe/Paris`)
  }
  try {
    // Answered as the runtime spells it: `america/new_york` becomes `America/New_York`.
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone
  } catch {
    throw fieldError(field, `${field} "${timezone}" is not a known IANA time zone`)
  }
}

/**
 * A cron of AWS in croner's seven-field form: a seconds field of 0 in front, `?` as `*` (AWS
 * requires it in exactly one of the day fields, so day-of-month AND day-of-week then means the
 * other), weekdays numbered 1 (Sunday) to 7 as AWS numbers them.
 */
function cronOf(expression: Extract<ScheduleExpression, { kind: 'cron' }>, timezone: string): Cron {
  const f = expression.fields
  const star = (field: string) => (field === '?' ? '*' : field)
  const pattern = ['0', f.minutes, f.hours, star(f.dayOfMonth), f.month, star(f.dayOfWeek), f.year].join(' ')
  try {
    return new Cron(pattern, {
      mode: '7-part',
      alternativeWeekdays: true,
      domAndDow: true,
      // AWS takes `0/15` (a start and a step) as well as `*/15`.
      sloppyRanges: true,
      timezone,
      paused: true,
    })
  } catch (err) {
    // What our own field check lets through but croner cannot compute.
    throw expressionError(`cannot be computed: ${err instanceof Error ? err.message : String(err)}`)
  }
}

export interface NextRunsInput {
  expression: ScheduleExpression
  timezone: string
  /** When a rate schedule counts from: its start date, else its creation. */
  rateStart?: Date | undefined
  /** Runs strictly after this time. */
  after: Date
  count?: number
}

/** The zone's wall-clock reading of an instant, to the minute, and its offset from UTC in minutes. */
function wallClock(at: Date, zone: Intl.DateTimeFormat): { text: string; offsetMinutes: number } {
  const parts = Object.fromEntries(zone.formatToParts(at).map((p) => [p.type, p.value]))
  const [y, mo, d, h, mi] = [parts.year, parts.month, parts.day, parts.hour, parts.minute].map(Number) as [number, number, number, number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  return { text: `${y}-${mo}-${d} ${h}:${mi}`, offsetMinutes: Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000) }
}

/**
 * Whether the zone's clock already read the same wall time a little earlier: the second pass of an
 * hour repeated when daylight-saving time ends. A zone changes its offset at most a few times a
 * year, so the offset a day before tells whether the clock was just set back, and by how much.
 */
function repeatsWallTime(at: Date, zone: Intl.DateTimeFormat): boolean {
  const now = wallClock(at, zone)
  const dayBefore = wallClock(new Date(at.getTime() - UNIT_MS.day), zone)
  const setBack = dayBefore.offsetMinutes - now.offsetMinutes
  if (setBack <= 0) return false
  return wallClock(new Date(at.getTime() - setBack * 60_000), zone).text === now.text
}

/**
 * Cron runs as EventBridge Scheduler makes them across a daylight-saving change: a local time the
 * change skips is not run that day (croner would move it to the next valid time: such a time does
 * not match the expression and is dropped), and a local time the change repeats is run once.
 */
function cronRuns(cron: Cron, timezone: string, after: Date, count: number): Date[] {
  const zone = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  })
  const runs: Date[] = []
  let from = after
  // Each change drops at most the runs of one hour: a bound well above that ends the loop.
  for (let tries = 0; runs.length < count && tries < count + 120; tries++) {
    const next = cron.nextRun(from)
    if (next === null) break
    from = next
    if (cron.match(next) && !repeatsWallTime(next, zone)) runs.push(next)
  }
  return runs
}

/**
 * The coming run times of a schedule, in UTC: cron through croner in the schedule's time zone (so
 * a daylight-saving change moves the UTC time; a local time the change skips does not run that day
 * and one it repeats runs once, as EventBridge Scheduler does); rate as fixed steps from its start;
 * at once, if still ahead.
 */
export function nextRuns(input: NextRunsInput): Date[] {
  const { expression, timezone, after } = input
  const count = input.count ?? NEXT_RUN_COUNT
  switch (expression.kind) {
    case 'cron':
      return cronRuns(cronOf(expression, timezone), timezone, after, count)
    case 'at': {
      const l = expression.local
      const iso = `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`
      // croner reads an ISO time without offset in the job's zone: the one instant of that wall time.
      const run = new Cron(iso, { timezone, paused: true }).nextRun(after)
      return run ? [run] : []
    }
    case 'rate': {
      const step = expression.value * UNIT_MS[expression.unit]
      const start = (input.rateStart ?? after).getTime()
      const from = after.getTime()
      // The first step strictly after `after` (the start itself when it is still ahead).
      const k = start > from ? 0 : Math.floor((from - start) / step) + 1
      return Array.from({ length: count }, (_, i) => new Date(start + (k + i) * step))
    }
  }
}

/** Checks that the expression can run in that zone at all (a cron whose year lies in the past cannot). */
export function checkRunnable(expression: ScheduleExpression, timezone: string, now: Date, field = 'expression'): void {
  if (expression.kind !== 'cron') return
  if (cronOf(expression, timezone).nextRun(now) === null) {
    throw fieldError(field, `${field} ${expression.text} has no run time after ${now.toISOString()}`)
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

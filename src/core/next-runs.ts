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

/**
 * The coming run times of a schedule, in UTC: cron through croner in the schedule's time zone (so
 * a daylight-saving change moves the UTC time, and a local time that does not exist that day runs
 * at the next one that does); rate as fixed steps from its start; at once, if still ahead.
 */
export function nextRuns(input: NextRunsInput): Date[] {
  const { expression, timezone, after } = input
  const count = input.count ?? NEXT_RUN_COUNT
  switch (expression.kind) {
    case 'cron':
      return cronOf(expression, timezone).nextRuns(count, after)
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

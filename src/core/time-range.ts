import { fieldError } from './errors.js'

/**
 * The one parser of `since` / `until` for every route that takes a time range: a duration back from
 * now (`90s`, `15m`, `2h`, `7d`, or combined as `1h30m`) or an RFC 3339 time with a zone
 * (`2026-12-06T07:49:47Z`, `2026-12-06T08:49:47.5+01:00`).
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/
const DURATION_PART = /(\d+)(ms|s|m|h|d)/g
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/

/** Milliseconds of a duration such as `15m` or `1h30m`; undefined when `text` is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) total += Number(amount) * UNIT_MS[unit!]!
  return Number.isSafeInteger(total) ? total : undefined
}

/** One bound of a range: a duration counts back from `now`. A 400 naming `field` when it is neither form. */
export function parseTimeBound(text: string, field: string, now: Date = new Date()): Date {
  const trimmed = text.trim()
  const ms = parseDurationMs(trimmed)
  if (ms !== undefined) return new Date(now.getTime() - ms)
  if (RFC3339.test(trimmed)) {
    const at = Date.parse(trimmed.replace(' ', 'T'))
    if (Number.isFinite(at)) return new Date(at)
  }
  throw fieldError(
    field,
    `${field} must be a duration back from now (such as 90s, 15m, 2h, 7d) or an RFC 3339 time, not ${JSON.stringify(text)}`,
  )
}

export interface TimeRange {
  since?: Date
  until?: Date
}

/** `since` and `until` of a query, each optional; `until` before `since` is a 400 naming `until`. */
export function parseTimeRange(
  query: { since?: string | undefined; until?: string | undefined },
  now: Date = new Date(),
): TimeRange {
  const range: TimeRange = {}
  if (query.since !== undefined && query.since !== '') range.since = parseTimeBound(query.since, 'since', now)
  if (query.until !== undefined && query.until !== '') range.until = parseTimeBound(query.until, 'until', now)
  if (range.since && range.until && range.until.getTime() < range.since.getTime()) {
    throw fieldError('until', `until (${range.until.toISOString()}) is before since (${range.since.toISOString()})`)
  }
  return range
}

/**
 * Conversions of scalar values between JSON and SDK representations. Each parser returns
 * `undefined` when the JSON value does not fit, and the caller reports the path.
 */

/**
 * Epoch numbers at or above this are milliseconds, below it seconds. AWS APIs use seconds and
 * JavaScript clients send `Date.now()` milliseconds; the two ranges only overlap for dates before
 * March 1973 (as ms) or after the year 5138 (as seconds), so the guess is safe for real timestamps.
 */
const EPOCH_MS_THRESHOLD = 1e11

// RFC 3339 date-time (offset required, as in Go's time.Time) or a bare date.
const ISO_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2}))?$/

export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return epochToDate(value)
  if (typeof value !== 'string') return undefined
  const match = ISO_TIMESTAMP.exec(value)
  if (match === null) return undefined
  const [, date = '', hhmm, seconds = '00', fraction = '', offset] = match
  // Date.parse rolls 2021-02-30 over to March and accepts hour 24; RFC 3339 (and Go) reject both.
  if (!isCalendarDate(date) || (hhmm !== undefined && Number(hhmm.slice(0, 2)) > 23)) return undefined
  if (hhmm === undefined || offset === undefined) return validDate(Date.parse(`${date}T00:00:00.000Z`))
  // Rebuild the exact ECMA-262 date-time format (3 fraction digits, `+hh:mm`) instead of relying on
  // V8's lenient fallback parser for the RFC 3339 variants.
  const millis = fraction.padEnd(3, '0').slice(0, 3)
  const zone = offset === 'Z' || offset === 'z' ? 'Z' : normalizeOffset(offset)
  return validDate(Date.parse(`${date}T${hhmm}:${seconds}.${millis}${zone}`))
}

export function epochToDate(value: number): Date | undefined {
  if (!Number.isFinite(value)) return undefined
  return validDate(Math.abs(value) >= EPOCH_MS_THRESHOLD ? value : value * 1000)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isCalendarDate(date: string): boolean {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const day = Number(date.slice(8, 10))
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0))
}

function normalizeOffset(offset: string): string {
  return offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset
}

function validDate(ms: number): Date | undefined {
  if (!Number.isFinite(ms)) return undefined
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** Standard or URL-safe alphabet, padding optional; anything else is rejected rather than skipped. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

export function parseBase64(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !BASE64.test(value)) return undefined
  const unpadded = value.replace(/=+$/, '')
  if (unpadded.length % 4 === 1) return undefined
  return new Uint8Array(Buffer.from(value, 'base64'))
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

const INTEGER = /^-?\d{1,4096}$/

export function parseBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value)
  return undefined
}

/** Dates become RFC 3339 strings with milliseconds (`2021-06-02T16:15:04.391Z`); invalid dates null. */
export function toIsoString(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/**
 * A position in merged logs: an event's timestamp and CloudWatch event id. It is the `id` of every
 * followed log event and the `NextToken` of a merged page, so a client resumes after the last event
 * it saw (`Last-Event-ID`, `next`) without a gap or a repeat: events are ordered by timestamp, then
 * by event id, and a resumed read takes only what comes after the position.
 */

export interface LogPosition {
  timestamp: number
  eventId: string
}

const CURSOR = /^(\d{1,16})-([0-9A-Za-z_]{1,128})$/

export function encodeLogPosition(position: LogPosition): string {
  return `${position.timestamp}-${position.eventId}`
}

/** The position a cursor names; undefined when `text` is not one. */
export function decodeLogPosition(text: string): LogPosition | undefined {
  const m = CURSOR.exec(text.trim())
  if (!m) return undefined
  const timestamp = Number(m[1])
  return Number.isSafeInteger(timestamp) ? { timestamp, eventId: m[2]! } : undefined
}

/**
 * CloudWatch event ids are decimal strings of one length, so they order as text; emulators number
 * them from 0, so a shorter run of digits is the smaller number.
 */
function compareEventIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

/** Negative when `a` comes before `b`, 0 when they are the same event, positive after. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  return a.timestamp - b.timestamp || compareEventIds(a.eventId, b.eventId)
}

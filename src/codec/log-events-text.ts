/**
 * GetLogEvents' answer passed through as the logs route's answer text, with only the renaming the
 * route needs, instead of parsing 10,000 events into objects and writing them out again.
 *
 * AWS writes `{"events":[{"timestamp":T,"message":"M","ingestionTime":I},...],"nextForwardToken":..}`
 * and the route answers `{"Events":[{"Timestamp":T,"Message":"M","IngestionTime":I},...],...}`: the
 * same values under other names. A batch of events is checked by one regular expression and
 * rewritten by another, natively, without an object per event. What comes out is exactly what
 * `JSON.stringify` of the parsed answer mapped by `logEventJson` gives, because only values whose
 * text `JSON.stringify` would write the same are copied:
 *
 * - a number only as an integer of at most 15 digits without sign, exponent or fraction (what
 *   `JSON.stringify(JSON.parse(text))` gives back unchanged); timestamps have 13;
 * - a string only without escapes: JSON allows no raw control character in a string, and valid UTF-8
 *   holds no lone surrogate, so `JSON.stringify` writes such a string as it is, and its bytes are the
 *   same. A string with escapes (moto escapes every non-ASCII character) is parsed and written by
 *   `JSON.stringify`, one string at a time;
 * - each event has exactly the three members, in one order for the whole answer (any of the six),
 *   and the events array comes first in the answer.
 *
 * The body must be valid UTF-8 and is read one character per byte. Anything else (bytes that are not
 * UTF-8, another member, a null, a duplicate, another order, text that is not JSON) is left to the parse-and-map path (`undefined` here), which answers it as before, errors
 * included.
 */

import { isUtf8 } from 'node:buffer'

/** Events per rewritten chunk (about 85 KB of answer for 100-byte messages). */
export const LOG_EVENTS_BATCH = 512

const WS = '[ \\t\\n\\r]*'
const INTEGER = '(0|[1-9][0-9]{0,14})'
/** A JSON string, unrolled (runs of plain characters between escapes) so the engine scans runs fast. */
const STRING = '("[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*")'
const MEMBERS = ['timestamp', 'message', 'ingestionTime'] as const
type Member = (typeof MEMBERS)[number]

/** The six orders the three members can come in. */
const ORDERS: readonly (readonly Member[])[] = MEMBERS.flatMap((a) =>
  MEMBERS.filter((b) => b !== a).map((b) => [a, b, MEMBERS.find((c) => c !== a && c !== b)!]),
)

/**
 * Strings and integers as the rewriting reads them in a batch already checked that holds no
 * backslash: the simplest patterns that find the same values, so the second pass runs faster.
 */
const PLAIN_STRING = '("[^"]*")'
const PLAIN_INTEGER = '([0-9]+)'

/** One event with its members in `order` (capturing their values in that order), and the white space after it. */
function itemSource(order: readonly Member[], capture: boolean, plain = false): string {
  const value = (name: Member) => {
    const v = name === 'message' ? (plain ? PLAIN_STRING : STRING) : plain ? PLAIN_INTEGER : INTEGER
    return capture ? v : `(?:${v.slice(1)}`
  }
  const member = (name: Member) => `"${name}"${WS}:${WS}${value(name)}`
  return `\\{${WS}${order.map(member).join(`${WS},${WS}`)}${WS}\\}${WS}`
}

interface EventShape {
  /** Sticky: up to a batch of events, comma-separated, at `lastIndex`. */
  batch: RegExp
  /** Global: each event of a batch and the comma after it. */
  rewrite: RegExp
  /** The same for a checked batch without a backslash. */
  rewritePlain: RegExp
  /** The rewritten event, a comma after it. */
  replacement: string
  /** Capture group of each member (1-based). */
  group: Record<Member, number>
}

const shapes = new Map<string, EventShape>()

function shapeOf(order: readonly Member[]): EventShape {
  const key = order.join(',')
  let shape = shapes.get(key)
  if (!shape) {
    const bare = itemSource(order, false)
    const group = Object.fromEntries(order.map((m, i) => [m, i + 1])) as Record<Member, number>
    shape = {
      batch: new RegExp(`${bare}(?:,${WS}${bare}){0,${LOG_EVENTS_BATCH - 1}}`, 'y'),
      rewrite: new RegExp(`${itemSource(order, true)}(?:,${WS})?`, 'g'),
      rewritePlain: new RegExp(`${itemSource(order, true, true)}(?:,${WS})?`, 'g'),
      replacement: `{"Timestamp":$${group.timestamp},"Message":$${group.message},"IngestionTime":$${group.ingestionTime}},`,
      group,
    }
    shapes.set(key, shape)
  }
  return shape
}

const OPENING = new RegExp(`^${WS}\\{${WS}"events"${WS}:${WS}\\[${WS}`)
const SEPARATOR = new RegExp(`,${WS}`, 'y')
const CLOSING = /\]/y

/** GetLogEvents' answer, checked for the pass-through: its events are rewritten a batch at a time. */
export interface LogEventsText {
  /** Number of chunks `chunk` gives (0 when there are no events). */
  readonly chunks: number
  /** The answer's tokens (`null` or absent: undefined). */
  readonly nextForwardToken: string | undefined
  readonly nextBackwardToken: string | undefined
  /** Chunk `i` of the answer's events as the answer writes them, UTF-8: the chunks in order make the events' text, the commas between them included. */
  chunk(i: number): Buffer
}

/** The shape whose batch matches at `at`; undefined when the event there is none of them. */
function shapeAt(text: string, at: number): EventShape | undefined {
  for (const order of ORDERS) {
    const shape = shapeOf(order)
    shape.batch.lastIndex = at
    if (shape.batch.test(text)) return shape
  }
  return undefined
}

/** A JSON string with escapes (its UTF-8 bytes, one character each) as `JSON.stringify` writes it, in the same form. */
function escapedString(latin1: string): string {
  const value = JSON.parse(Buffer.from(latin1, 'latin1').toString('utf8')) as string
  return Buffer.from(JSON.stringify(value), 'utf8').toString('latin1')
}

function isToken(value: unknown): value is string | null | undefined {
  return value === null || value === undefined || typeof value === 'string'
}

/**
 * Checks `body` (a GetLogEvents answer) for the pass-through; undefined when it is to be parsed and
 * mapped instead.
 */
export function logEventsText(body: Uint8Array): LogEventsText | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  // Bytes that are not UTF-8 are decoded by the parse path (into replacement characters).
  if (!isUtf8(bytes)) return undefined
  // One character per byte: a large text of that kind is kept outside the JS heap (no 1.7 MB
  // string for the collector to carry), and a slice of it is written back byte for byte.
  const text = bytes.toString('latin1')
  const opening = OPENING.exec(text)
  if (!opening) return undefined
  // Each batch as [start, end) in `text`.
  const batches: number[] = []
  let at = opening[0].length
  const shape = text.charCodeAt(at) === 0x7b /* { */ ? shapeAt(text, at) : undefined
  if (shape) {
    for (;;) {
      shape.batch.lastIndex = at
      if (!shape.batch.test(text)) return undefined
      batches.push(at, shape.batch.lastIndex)
      at = shape.batch.lastIndex
      SEPARATOR.lastIndex = at
      if (!SEPARATOR.test(text)) break
      at = SEPARATOR.lastIndex
    }
  }
  CLOSING.lastIndex = at
  if (!CLOSING.test(text)) return undefined
  // The members after the events: parsed as JSON behind an empty events array, which also checks
  // that the rest is JSON. A second "events" member would win over the first in a parse of the
  // whole: such an answer takes the parse path.
  const rest = bytes.subarray(CLOSING.lastIndex).toString('utf8')
  if (rest.includes('"events"')) return undefined
  let tail: unknown
  try {
    tail = JSON.parse(`{"events":[]${rest}`)
  } catch {
    return undefined
  }
  if (tail === null || typeof tail !== 'object' || Array.isArray(tail)) return undefined
  const { nextForwardToken, nextBackwardToken } = tail as Record<string, unknown>
  // A token of another type (none so far) is written by the parse path.
  if (!isToken(nextForwardToken) || !isToken(nextBackwardToken)) return undefined
  return {
    chunks: batches.length / 2,
    nextForwardToken: nextForwardToken ?? undefined,
    nextBackwardToken: nextBackwardToken ?? undefined,
    chunk(i) {
      const last = batches.length / 2 - 1
      if (!shape || !(i >= 0 && i <= last)) throw new RangeError(`no chunk ${i}`)
      const part = text.slice(batches[2 * i], batches[2 * i + 1])
      const { rewrite, group } = shape
      const out = part.includes('\\')
        ? part.replace(rewrite, (...m: string[]) => {
            const message = m[group.message]!
            const written = message.includes('\\') ? escapedString(message) : message
            return `{"Timestamp":${m[group.timestamp]!},"Message":${written},"IngestionTime":${m[group.ingestionTime]!}},`
          })
        : part.replace(shape.rewritePlain, shape.replacement)
      // Every event was written with a comma after it, which separates it from the next one, in
      // this chunk or the next: only the answer's last event loses it. (Taking a comma off the end
      // of the text, or putting one before it, would cost a copy of the chunk's text.)
      const bytes = Buffer.from(out, 'latin1')
      return i === last ? bytes.subarray(0, -1) : bytes
    },
  }
}

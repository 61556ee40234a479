/**
 * GetLogEvents' answer passed through as the logs answer's text: for every answer it takes, the text
 * is byte for byte what parsing the answer and writing its events mapped by `logEventJson` gives;
 * every answer whose text could come out differently is left to that parse path.
 */
import type { OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import { describe, expect, it } from 'vitest'
import { LOG_EVENTS_BATCH, logEventsText, type LogEventsText } from '../../src/codec/log-events-text.js'
import { logEventJson, SERVICE_LOGS_HEAD, serviceLogsJson, serviceLogsTail } from '../../src/codec/log-events.js'

/** What the parse path answers for `body` (the events as JSON has them; no nulls in what the pass-through takes). */
function parsed(body: Buffer): string {
  const out = JSON.parse(body.toString('utf8')) as { events: OutputLogEvent[]; nextForwardToken?: string | null; nextBackwardToken?: string | null }
  return serviceLogsJson({
    Events: out.events.map(logEventJson),
    NextBackwardToken: out.nextBackwardToken ?? null,
    NextForwardToken: out.nextForwardToken ?? null,
  })
}

function written(text: LogEventsText): string {
  const events = Buffer.concat(Array.from({ length: text.chunks }, (_, i) => text.chunk(i))).toString('utf8')
  return SERVICE_LOGS_HEAD + events + serviceLogsTail({ NextBackwardToken: text.nextBackwardToken ?? null, NextForwardToken: text.nextForwardToken ?? null })
}

/** `body` taken by the pass-through and written exactly as the parse path writes it. */
function expectSame(body: string | Buffer): LogEventsText {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  const text = logEventsText(bytes)
  expect(text, 'taken by the pass-through').toBeDefined()
  expect(written(text!)).toBe(parsed(bytes))
  return text!
}

/** JSON as Python's json.dumps writes it (moto): `, ` and `: ` separators, every non-ASCII character escaped. */
function pythonJson(value: unknown): string {
  const ascii = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  const write = (v: unknown): string => {
    if (typeof v === 'string') return ascii(v)
    if (Array.isArray(v)) return `[${v.map(write).join(', ')}]`
    if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${ascii(k)}: ${write(x)}`).join(', ')}}`
    return JSON.stringify(v)
  }
  return write(value)
}

const AWKWARD = [
  'plain line',
  '',
  'quotes " and \\ backslashes \\" and a trailing \\',
  'new\nline\r\ttab \u0000 \u0001 \u0007 \u001f \u007f',
  'separators \u2028 \u2029, accents é ü, CJK 日本, emoji 🚀',
  '{"timestamp":1,"message":"json inside"}, {"events":[]}',
  'slash / and a ] bracket',
  'x'.repeat(3000),
]

const T0 = 1_765_000_000_000
const events = (n: number, message = (i: number) => `${i} ${AWKWARD[i % AWKWARD.length]!}`) =>
  Array.from({ length: n }, (_, i) => ({ timestamp: T0 + i, message: message(i), ingestionTime: T0 + 500 + i }))
const TOKENS = { nextForwardToken: `f/${'3'.repeat(56)}`, nextBackwardToken: `b/${'2'.repeat(56)}` }

describe('GetLogEvents answer passed through', () => {
  it("takes moto's answer (spaced, members in its order, non-ASCII escaped) and writes what the parse path writes", () => {
    const moto = (n: number) =>
      pythonJson({
        events: events(n).map((e) => ({ ingestionTime: e.ingestionTime, message: e.message, timestamp: e.timestamp })),
        nextBackwardToken: TOKENS.nextBackwardToken,
        nextForwardToken: TOKENS.nextForwardToken,
      })
    expect(moto(2)).toContain('{"ingestionTime": ')
    for (const n of [0, 1, 7, LOG_EVENTS_BATCH, LOG_EVENTS_BATCH + 1, 2 * LOG_EVENTS_BATCH + 5]) {
      const text = expectSame(moto(n))
      expect(text.chunks, `${n} events`).toBe(Math.ceil(n / LOG_EVENTS_BATCH))
    }
  })

  it('takes compact answers with the members in any order, raw UTF-8 and escaped slashes included', () => {
    const orders = [
      ['timestamp', 'message', 'ingestionTime'],
      ['ingestionTime', 'timestamp', 'message'],
      ['message', 'ingestionTime', 'timestamp'],
    ] as const
    for (const order of orders) {
      const body = `{"events":[${events(600)
        .map((e) => `{${order.map((k) => `"${k}":${JSON.stringify(e[k])}`).join(',')}}`)
        .join(',')}],"nextForwardToken":"${TOKENS.nextForwardToken}","nextBackwardToken":"${TOKENS.nextBackwardToken}"}`
      expectSame(body)
      expectSame(body.replaceAll('/', '\\/'))
    }
    // White space everywhere JSON allows it, tokens null or absent.
    expectSame(' \n{ "events" :\t[ { "timestamp" : 1 , "message" : "a" , "ingestionTime" : 2 } ,\r\n{"timestamp":3,"message":"b","ingestionTime":4} ] , "nextForwardToken" : null } \n')
    expectSame('{"events":[]}')
    expectSame('{"events":[{"timestamp":0,"message":"zero","ingestionTime":999999999999999}],"other":{"x":[1,2]}}')
  })

  it('writes batches without a backslash the same: braces, brackets, commas, colons and member names in messages', () => {
    const plain = (i: number) => [`}, {x: ${i}]`, ' ingestionTime: 5 , timestamp :', '', `${'9'.repeat(20)}`, '[{}]:,'][i % 5]!
    for (const n of [1, 5, LOG_EVENTS_BATCH + 2]) {
      const spaced = `{"events": [${events(n, plain)
        .map((e) => `{ "ingestionTime" : ${e.ingestionTime} ,\n"message": ${JSON.stringify(e.message)}, "timestamp":${e.timestamp} }`)
        .join(' , ')}], "nextForwardToken": "f/1"}`
      expect(spaced).not.toContain('\\')
      expectSame(spaced)
    }
  })

  it('leaves bytes that are not UTF-8 to the parse path', () => {
    const body = Buffer.concat([
      Buffer.from('{"events":[{"timestamp":1,"message":"bad '),
      Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from(' bytes","ingestionTime":2}],"nextForwardToken":"f/1"}'),
    ])
    expect(logEventsText(body)).toBeUndefined()
    // Raw UTF-8 of every width is taken, byte for byte.
    expectSame(`{"events":[{"timestamp":1,"message":"é 日本 🚀 \u2028","ingestionTime":2},{"timestamp":3,"message":"\\u00e9 \\ud83d\\ude80 é","ingestionTime":4}]}`)
  })

  it.each([
    ['an event with another member', '{"events":[{"timestamp":1,"message":"a","ingestionTime":2,"eventId":"x"}]}'],
    ['an event without a member', '{"events":[{"timestamp":1,"message":"a"}]}'],
    ['a null member', '{"events":[{"timestamp":1,"message":null,"ingestionTime":2}]}'],
    ['a null event', '{"events":[null]}'],
    ['a duplicate member', '{"events":[{"timestamp":1,"message":"a","timestamp":2}]}'],
    ['members in another order in a later event', '{"events":[{"timestamp":1,"message":"a","ingestionTime":2},{"message":"b","timestamp":3,"ingestionTime":4}]}'],
    ['a fraction', '{"events":[{"timestamp":1.0,"message":"a","ingestionTime":2}]}'],
    ['an exponent', '{"events":[{"timestamp":1e3,"message":"a","ingestionTime":2}]}'],
    ['a negative number', '{"events":[{"timestamp":-1,"message":"a","ingestionTime":2}]}'],
    ['16 digits', '{"events":[{"timestamp":1234567890123456,"message":"a","ingestionTime":2}]}'],
    ['a leading zero', '{"events":[{"timestamp":012,"message":"a","ingestionTime":2}]}'],
    ['a number as a string', '{"events":[{"timestamp":"1","message":"a","ingestionTime":2}]}'],
    ['a raw control character', '{"events":[{"timestamp":1,"message":"a\tb","ingestionTime":2}]}'],
    ['a bad escape', '{"events":[{"timestamp":1,"message":"a\\x","ingestionTime":2}]}'],
    ['the tokens first', '{"nextForwardToken":"f/1","events":[]}'],
    ['a second events member', '{"events":[{"timestamp":1,"message":"a","ingestionTime":2}],"events":[]}'],
    ['a trailing comma', '{"events":[{"timestamp":1,"message":"a","ingestionTime":2},]}'],
    ['a missing comma', '{"events":[{"timestamp":1,"message":"a","ingestionTime":2} {"timestamp":3,"message":"b","ingestionTime":4}]}'],
    ['text after the answer', '{"events":[]} x'],
    ['a token that is not a string', '{"events":[],"nextForwardToken":5}'],
    ['events that are not an array', '{"events":null}'],
    ['an empty body', ''],
    ['a byte order mark', '\ufeff{"events":[]}'],
  ])('leaves %s to the parse path', (_, body) => {
    expect(logEventsText(Buffer.from(body, 'utf8'))).toBeUndefined()
  })
})

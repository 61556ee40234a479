import { OutputLogEvent$, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { encode } from '../../src/codec/index.js'
import { logEventJson, serviceLogsJson } from '../../src/codec/log-events.js'
import { serviceLogsSchema } from '../../src/schemas/services.js'

type Tokens = { backward: string | null; forward: string | null }

/**
 * The body as the logs route made it before it sent ready-made JSON: every event through the codec,
 * the answer through Fastify's serializer of the route's 200 schema.
 */
async function schemaSerialized(events: OutputLogEvent[], tokens: Tokens): Promise<string> {
  const app = Fastify()
  app.get('/', { schema: { response: { 200: serviceLogsSchema.response[200] } } }, async () => ({
    Events: events.map((e) => encode(OutputLogEvent$, e)),
    NextBackwardToken: tokens.backward,
    NextForwardToken: tokens.forward,
  }))
  try {
    return (await app.inject({ method: 'GET', url: '/' })).body
  } finally {
    await app.close()
  }
}

function ready(events: OutputLogEvent[], tokens: Tokens): string {
  return serviceLogsJson({ Events: events.map(logEventJson), NextBackwardToken: tokens.backward, NextForwardToken: tokens.forward })
}

const TOKENS: Tokens = { backward: `b/${'0'.repeat(56)}`, forward: `f/${'1'.repeat(56)}` }

describe('service logs answer', () => {
  it('is byte for byte what the codec and the schema serializer made, for awkward messages too', async () => {
    const messages = [
      'plain',
      '',
      'quotes " and \\ backslashes \\" and a trailing \\',
      'new\nline\r\ttab \u0000 \u0007 \u001f \u007f',
      'separators \u2028 \u2029, accents é ü, CJK 日本, emoji 🚀',
      'lone surrogates \ud800 and \udfff',
      '{"timestamp":1,"message":"json inside"}',
      'x'.repeat(5000),
    ]
    const events = messages.map((message, i) => ({ timestamp: 1_700_000_000_000 + i, message, ingestionTime: 1_700_000_000_500 + i }))
    const expected = await schemaSerialized(events, TOKENS)
    expect(ready(events, TOKENS)).toBe(expected)
    expect(JSON.parse(expected).Events[1]).toEqual({ Timestamp: 1_700_000_000_001, Message: '', IngestionTime: 1_700_000_000_501 })
  })

  it('is the same for events the fast mapping leaves to the codec (missing, mistyped, inherited or extra members)', async () => {
    const inherited = Object.assign(Object.create({ timestamp: 5 }) as OutputLogEvent, { message: 'inherited timestamp', ingestionTime: 6 })
    const events: OutputLogEvent[] = [
      { timestamp: 1, message: 'no ingestion time' },
      { timestamp: 2, ingestionTime: 3 },
      { message: 'only a message' },
      {},
      { timestamp: Number.NaN, message: 'not a number', ingestionTime: Number.POSITIVE_INFINITY },
      { timestamp: '7' as unknown as number, message: 8 as unknown as string, ingestionTime: 9 },
      { ingestionTime: 12, message: 'members out of order', timestamp: 11 },
      { timestamp: 13, message: 'an extra member', ingestionTime: 14, extra: 'dropped' } as OutputLogEvent,
      { timestamp: undefined, message: 'undefined timestamp', ingestionTime: 15 },
      inherited,
    ]
    for (const tokens of [TOKENS, { backward: null, forward: null }]) {
      expect(ready(events, tokens)).toBe(await schemaSerialized(events, tokens))
    }
  })

  it('is the same for an empty page', async () => {
    expect(ready([], TOKENS)).toBe(await schemaSerialized([], TOKENS))
  })

  it('maps a well-formed event to the codec\'s members in their order', () => {
    const event = { message: 'm', ingestionTime: 2, timestamp: 1 }
    expect(JSON.stringify(logEventJson(event))).toBe(JSON.stringify(encode(OutputLogEvent$, event)))
    expect(Object.keys(logEventJson(event) as object)).toEqual(['Timestamp', 'Message', 'IngestionTime'])
  })
})

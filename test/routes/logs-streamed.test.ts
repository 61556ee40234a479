/**
 * The logs answers are streamed (mapped and written a batch at a time). Against moto: the single-stream
 * form's pages are byte for byte what the route wrote before it streamed (every event through the
 * codec, one JSON text), and the merged form's pages are exactly `JSON.stringify` of their content,
 * across batch boundaries and awkward messages. Through an SDK mock of CloudWatch Logs: a failure
 * after the first byte cuts the connection instead of ending a short answer that parses, and a client
 * that goes away stops the mapping.
 */
import { type IncomingMessage, request } from 'node:http'
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs'
import { mockClient } from 'aws-sdk-client-mock'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { logEventJson, serviceLogsJson } from '../../src/codec/log-events.js'
import { logEvents } from '../../src/aws/log-events.js'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { runServiceTask, seedLoggingService, writeLines } from './logs-fixtures.js'
import { motoClients, seedService } from './services-fixtures.js'

useMotoReset()

const base = '/v1/ecs/main/clusters/space1'
const taskId = '0123456789abcdef0123456789abcdef'
const GROUP = 'space1-logs'
const STREAM = `webfam/app/${taskId}`

/** Messages JSON escapes in every way it can, and plain ones, in turn. */
const AWKWARD = [
  'plain line',
  '',
  'quotes " and \\ backslashes \\" and a trailing \\',
  'new\nline\r\ttab \u0001 \u0007 \u001f \u007f',
  'separators \u2028 \u2029, accents é ü, CJK 日本, emoji 🚀',
  '{"timestamp":1,"message":"json inside"}',
  'x'.repeat(300),
]

async function seedStream(count: number): Promise<void> {
  const { ecs, logs } = motoClients()
  await seedService(ecs, 'space1', 'web', { logGroup: GROUP, streamPrefix: 'webfam', container: 'app' })
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }))
  const t0 = Date.now() - 3_600_000
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: STREAM,
      logEvents: Array.from({ length: count }, (_, i) => ({ timestamp: t0 + i, message: `${i} ${AWKWARD[i % AWKWARD.length]!}` })),
    }),
  )
}

/** The answer as the route made it before it streamed: the SDK's events through the codec, one JSON text. */
async function unstreamed(input: { limit: number; nextToken?: string }): Promise<string> {
  const { logs } = motoClients()
  const out = await logs.send(
    new GetLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: STREAM,
      limit: input.limit,
      ...(input.nextToken ? { nextToken: input.nextToken, startFromHead: true } : {}),
    }),
  )
  return serviceLogsJson({
    Events: (out.events ?? []).map(logEventJson),
    NextBackwardToken: out.nextBackwardToken ?? null,
    NextForwardToken: out.nextForwardToken ?? null,
  })
}

describe('streamed logs answers against moto', () => {
  it('single-stream form: each page is byte for byte the unstreamed answer, across batches and awkward messages', async () => {
    await seedStream(1_500)
    const app = await buildTestApp()
    const url = (query: string) => `${base}/services/web/logs?task=${taskId}&container=app&${query}`

    const whole = await app.inject({ url: url('limit=10000'), headers: authHeaders })
    expect(whole.statusCode, whole.body).toBe(200)
    expect(whole.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(whole.json<{ Events: unknown[] }>().Events).toHaveLength(1_500)
    expect(whole.body).toBe(await unstreamed({ limit: 10_000 }))

    // Paged: the first page from the newest end, the next from its forward token.
    const first = await app.inject({ url: url('limit=700'), headers: authHeaders })
    expect(first.body).toBe(await unstreamed({ limit: 700 }))
    const token = first.json<{ NextForwardToken: string }>().NextForwardToken
    const second = await app.inject({ url: url(`limit=700&seq=${encodeURIComponent(token)}`), headers: authHeaders })
    expect(second.statusCode, second.body).toBe(200)
    expect(second.body).toBe(await unstreamed({ limit: 700, nextToken: token }))
  })

  it("single-stream form: moto's GetLogEvents answers, awkward messages included, are passed through as text, not parsed", async () => {
    await seedStream(700)
    const { logs } = motoClients()
    const adapter = logEvents(logs)
    for (const query of [{ limit: 10_000 }, { limit: 300 }, { limit: 10_000, startTime: Date.now() - 7_200_000 }]) {
      const answer = await adapter.answer({ group: GROUP, stream: STREAM, ...query })
      expect('text' in answer, JSON.stringify(query)).toBe(true)
    }
  })

  it('merged form (service and task routes): each page is exactly JSON.stringify of its content, pages joined by next', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const a = await runServiceTask(clients, taskDefinitionArn)
    const b = await runServiceTask(clients, taskDefinitionArn)
    const t0 = Date.now() - 3_600_000
    await writeLines(clients, a, Array.from({ length: 700 }, (_, i) => [t0 + 2 * i, `a ${i} ${AWKWARD[i % AWKWARD.length]!}`] as const))
    await writeLines(clients, b, Array.from({ length: 700 }, (_, i) => [t0 + 2 * i + 1, `b ${i} ${AWKWARD[(i + 3) % AWKWARD.length]!}`] as const))
    const app = await buildTestApp()

    interface Merged {
      Events: { Id: string; TaskId: string; Container: string; Timestamp: string; Message: string }[]
      Tasks: string[]
      NextToken: string | null
    }
    const exactJson = (body: string): Merged => {
      const parsed = JSON.parse(body) as Merged
      // Same members in the same order, same escaping: the bytes JSON.stringify of the page wrote before.
      expect(body).toBe(JSON.stringify(parsed))
      expect(Object.keys(parsed)).toEqual(['Events', 'Tasks', 'NextToken'])
      for (const e of parsed.Events) expect(Object.keys(e)).toEqual(['Id', 'TaskId', 'Container', 'Timestamp', 'Message'])
      return parsed
    }

    const whole = await app.inject({ url: `${base}/services/web/logs?tasks=running&limit=10000`, headers: authHeaders })
    expect(whole.statusCode, whole.body).toBe(200)
    const all = exactJson(whole.body)
    expect(all.Events).toHaveLength(1_400)
    expect(all.NextToken).toBeNull()

    const messages: string[] = []
    let next: string | null = null
    let pages = 0
    do {
      const res = await app.inject({
        url: `${base}/services/web/logs?tasks=running&limit=600${next ? `&next=${encodeURIComponent(next)}` : ''}`,
        headers: authHeaders,
      })
      expect(res.statusCode, res.body).toBe(200)
      const page = exactJson(res.body)
      messages.push(...page.Events.map((e) => e.Message))
      next = page.NextToken
      pages++
    } while (next && pages < 10)
    expect(pages).toBe(3)
    expect(messages).toEqual(all.Events.map((e) => e.Message))

    const task = await app.inject({ url: `${base}/tasks/${a}/logs?limit=10000`, headers: authHeaders })
    expect(task.statusCode, task.body).toBe(200)
    const one = exactJson(task.body)
    expect(one.Events.map((e) => e.Message)).toEqual(all.Events.filter((e) => e.TaskId === a).map((e) => e.Message))
  })
})

/** A GET on a real listener with node:http, so a cut connection and an early close are what a client sees. */
function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: authHeaders })
    req.on('error', reject)
    req.on('response', resolve)
    req.end()
  })
}

/** Until `pred` holds, checked whenever the event loop turns (no fixed sleep). */
async function until(pred: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await pred())) await new Promise((r) => setImmediate(r))
}

const connections = (app: FastifyInstance) =>
  new Promise<number>((resolve, reject) => app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))))

describe('streamed logs answers: failure and departure after the first byte (SDK mock)', () => {
  let restore: (() => void) | undefined
  afterEach(() => {
    restore?.()
    restore = undefined
  })

  /** The service and its task definition in moto; GetLogEvents answered by the mock with `events`. */
  async function serve(events: OutputLogEvent[]): Promise<{ app: FastifyInstance; url: string }> {
    await seedService(motoClients().ecs, 'space1', 'web', { logGroup: GROUP, streamPrefix: 'webfam', container: 'app' })
    const logsMock = mockClient(CloudWatchLogsClient)
    restore = () => logsMock.restore()
    logsMock.on(GetLogEventsCommand).resolves({ events, nextForwardToken: 'f/1', nextBackwardToken: 'b/1' })
    const app = await buildTestApp()
    const origin = await app.listen({ host: '127.0.0.1', port: 0 })
    return { app, url: `${origin}${base}/services/web/logs?task=${taskId}&container=app&limit=10000` }
  }

  it('a mapping failure after the first byte cuts the connection: the client never gets a body that parses (injected failure)', async () => {
    const now = Date.now()
    const events: OutputLogEvent[] = Array.from({ length: 3_000 }, (_, i) => ({ timestamp: now + i, message: `line ${i}`, ingestionTime: now + i }))
    // An event that cannot be read, well after the first batch went out.
    Object.defineProperty(events[2_500], 'message', {
      enumerable: true,
      get() {
        throw new Error('injected: unreadable event')
      },
    })
    const { app, url } = await serve(events)
    try {
      const res = await open(url)
      expect(res.statusCode).toBe(200)
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      const outcome = await new Promise<string>((resolve) => {
        res.on('end', () => resolve('end'))
        res.on('error', (err) => resolve(`error: ${err.message}`))
        res.on('close', () => resolve(res.complete ? 'end' : 'cut'))
      })
      expect(outcome).not.toBe('end')
      expect(body.startsWith('{"Events":[{"Timestamp":')).toBe(true)
      expect(() => JSON.parse(body) as unknown).toThrow()
      // The server goes on answering.
      const ping = await fetch(`${url.slice(0, url.indexOf('/v1/'))}/v1/ecs/ping`)
      expect(ping.status).toBe(200)
    } finally {
      await app.close()
    }
  })

  it('a client that goes away after the first bytes stops the mapping of the rest', async () => {
    const now = Date.now()
    // About 20 MB of answer: far more than the socket buffers take while the client reads nothing.
    let mapped = 0
    const filler = 'y'.repeat(2_000)
    const events: OutputLogEvent[] = Array.from({ length: 10_000 }, (_, i) => {
      const event: OutputLogEvent = { timestamp: now + i, ingestionTime: now + i }
      Object.defineProperty(event, 'message', {
        enumerable: true,
        get() {
          mapped++
          return `${i} ${filler}`
        },
      })
      return event
    })
    const { app, url } = await serve(events)
    try {
      const res = await open(url)
      expect(res.statusCode).toBe(200)
      await new Promise<void>((resolve) => res.once('data', () => resolve()))
      res.pause()
      res.destroy()
      await until(async () => (await connections(app)) === 0)
      const atClose = mapped
      expect(atClose).toBeGreaterThan(0)
      expect(atClose).toBeLessThan(10_000)
      // Nothing more is mapped once the connection is gone: another request's answer completes meanwhile.
      const again = await fetch(`${url.slice(0, url.indexOf('/v1/'))}/v1/ecs/ping`)
      expect(again.status).toBe(200)
      expect(mapped).toBe(atClose)
    } finally {
      await app.close()
    }
  })
})

/**
 * Following logs over server-sent events on a real listener against moto: lines written after the
 * stream opened arrive, a task started meanwhile is picked up, Last-Event-ID resumes with no gap and
 * no repeat, a disconnect frees the follow's slot, keep-alive comments arrive while idle, and one
 * follow more than the limit (configured, or the default 100) is a 503 with Retry-After. Polls are
 * made fast through the config; nothing sleeps for a fixed time.
 */
import { type ClientRequest, type IncomingMessage, request } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { runServiceTask, seedLoggingService, writeLines } from './logs-fixtures.js'
import { motoClients, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

interface SseEvent {
  id?: string
  event: string
  data: { Message?: string; TaskId?: string; Id?: string; Reason?: string }
}

interface Follow {
  res: IncomingMessage
  events: SseEvent[]
  /** `: keep-alive` comments received so far. */
  keepAlives: number
  /** Resolves once `pred` holds for the events received so far. */
  until(pred: (events: SseEvent[]) => boolean): Promise<void>
  close(): void
}

async function followApp(maxFollows = 2): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildTestApp({ logs: { maxFollows, followPollMinMs: 50, followPollMaxMs: 200, followHeartbeatMs: 100 } })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url }
}

/** Opens a follow with node:http (its abort closes the socket at once, unlike fetch's). */
function open(url: string, headers: Record<string, string> = {}): Promise<Follow> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(url, { headers: { ...authHeaders, accept: 'text/event-stream', ...headers } })
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err)
    })
    req.on('response', (res) => {
      const events: SseEvent[] = []
      const waiters: Array<() => void> = []
      let keepAlives = 0
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          if (block === ': keep-alive') keepAlives++
          const fields = Object.fromEntries(
            block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
          )
          if (fields.event) events.push({ ...(fields.id ? { id: fields.id } : {}), event: fields.event, data: JSON.parse(fields.data ?? 'null') })
        }
        for (const w of waiters.splice(0)) w()
      })
      resolve({
        res,
        events,
        get keepAlives() {
          return keepAlives
        },
        until: (pred) =>
          new Promise<void>((done) => {
            const check = () => (pred(events) ? done() : waiters.push(check))
            check()
          }),
        close: () => req.destroy(),
      })
    })
    req.end()
  })
}

interface HeldStack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'low'; name: string },
    ): void
  }
}

const logLines = (events: SseEvent[]) => events.filter((e) => e.event === 'log').map((e) => e.data.Message)

describe('GET .../services/{service}/logs?follow=true', () => {
  it('streams lines written after it opened, picks up new tasks, and resumes from Last-Event-ID without gap or repeat', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const first = await runServiceTask(clients, taskDefinitionArn)
    const now = Date.now()
    await writeLines(clients, first, [[now - 5_000, 'before open']])
    const { url } = await followApp()
    const path = `${url}/v1/ecs/main/clusters/space1/services/web/logs?follow=true`

    const follow = await open(path)
    expect(follow.res.statusCode).toBe(200)
    expect(follow.res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    await follow.until((e) => logLines(e).includes('before open'))
    await writeLines(clients, first, [[Date.now(), 'after open']])
    await follow.until((e) => logLines(e).includes('after open'))
    const second = await runServiceTask(clients, taskDefinitionArn)
    await writeLines(clients, second, [[Date.now() + 1, 'from a new task']])
    await follow.until((e) => logLines(e).includes('from a new task'))
    expect(follow.events.find((e) => e.data.Message === 'from a new task')!.data.TaskId).toBe(second)
    const lastId = follow.events.filter((e) => e.event === 'log').at(-1)!.id!
    expect(lastId).toMatch(/^\d+-\w+$/)
    follow.close()

    // Written while nobody follows: a resumed follow gets these, and nothing it already had.
    await writeLines(clients, first, [[Date.now() + 2, 'while away 1'], [Date.now() + 3, 'while away 2']])
    const resumed = await open(path, { 'last-event-id': lastId })
    await resumed.until((e) => logLines(e).includes('while away 2'))
    await writeLines(clients, second, [[Date.now() + 4, 'after resume']])
    await resumed.until((e) => logLines(e).includes('after resume'))
    expect(logLines(resumed.events)).toEqual(['while away 1', 'while away 2', 'after resume'])
    resumed.close()
  })

  it('ends with an end event once a stopped task was read to the end (previous=true)', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const task = await runServiceTask(clients, taskDefinitionArn)
    await writeLines(clients, task, [[Date.now() - 1000, 'last words']])
    await clients.ecs.send(new (await import('@aws-sdk/client-ecs')).StopTaskCommand({ cluster: 'space1', task, reason: 'done' }))
    const { url } = await followApp()
    const follow = await open(`${url}/v1/ecs/main/clusters/space1/services/web/logs?previous=true&follow=true`)
    await follow.until((e) => e.some((x) => x.event === 'end'))
    expect(logLines(follow.events)).toEqual(['last words'])
    expect(follow.events.at(-1)).toEqual({ event: 'end', data: { Reason: 'finished' } })
  })

  it('answers 503 with Retry-After beyond the configured number of follows, and frees a slot on disconnect', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    await runServiceTask(clients, taskDefinitionArn)
    const { url } = await followApp(2)
    const path = `${url}/v1/ecs/main/clusters/space1/services/web/logs?follow=true`
    const a = await open(path)
    const b = await open(path)
    expect([a.res.statusCode, b.res.statusCode]).toEqual([200, 200])
    const refused = await open(path)
    expect(refused.res.statusCode).toBe(503)
    expect(refused.res.headers['retry-after']).toBe('5')
    a.close()
    // The server notices the disconnect on its own schedule: ask again until the slot is free.
    let again = await open(path)
    for (let attempt = 0; again.res.statusCode === 503 && attempt < 200; attempt++) {
      await new Promise((resolve) => setImmediate(resolve))
      again = await open(path)
    }
    expect(again.res.statusCode).toBe(200)
    b.close()
    again.close()
  })
})

describe('a follow with a filter pattern', () => {
  it('one CloudWatch rejects is a 400 naming filter before any stream opens (injected failure)', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    await runServiceTask(clients, taskDefinitionArn)
    const { app } = await followApp()
    failAwsCall(app, 'logs', 'FilterLogEvents', awsError('InvalidParameterException', 400, 'Invalid filter pattern'))
    const res = await app.inject({
      url: `/v1/ecs/main/clusters/space1/services/web/logs?follow=true&filter=${encodeURIComponent('{ $.level = }')}`,
      headers: { ...authHeaders, accept: 'text/event-stream' },
    })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().field).toBe('filter')
  })

  it('a pattern CloudWatch takes: the follow opens and sends only the matching lines', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const task = await runServiceTask(clients, taskDefinitionArn)
    const { url } = await followApp()
    const follow = await open(`${url}/v1/ecs/main/clusters/space1/services/web/logs?follow=true&filter=ERROR`)
    expect(follow.res.statusCode).toBe(200)
    const now = Date.now()
    await writeLines(clients, task, [[now, 'all is well'], [now + 1, 'ERROR it broke']])
    await follow.until((e) => logLines(e).includes('ERROR it broke'))
    expect(logLines(follow.events)).toEqual(['ERROR it broke'])
    follow.close()
  })
})

describe('a follow of a service or task of another org', () => {
  it('is a 404 before any stream opens', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients, 'theirs', { org: OTHER_ORG })
    const task = await runServiceTask(clients, taskDefinitionArn, 'theirs')
    const { app } = await followApp()
    for (const path of ['services/theirs/logs?follow=true', `services/theirs/logs?follow=true&tasks=all`, `tasks/${task}/logs?follow=true`]) {
      const res = await app.inject({ url: `/v1/ecs/main/clusters/space1/${path}`, headers: { ...authHeaders, accept: 'text/event-stream' } })
      expect(res.statusCode, path).toBe(404)
      expect(res.headers['content-type'], path).toMatch(/^application\/problem\+json/)
    }
  })
})

describe('a client that leaves before its follow opened', () => {
  it('leaves no follow behind: its slot is free for the next one (held AWS call)', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    await runServiceTask(clients, taskDefinitionArn)
    const { app, url } = await followApp(1)
    const path = `${url}/v1/ecs/main/clusters/space1/services/web/logs?follow=true`
    // The first follow's service lookup waits until its client has gone; its last lookups are then watched.
    let reached!: () => void
    const held = new Promise<void>((resolve) => (reached = resolve))
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const settled: string[] = []
    let planned!: () => void
    const plannedAll = new Promise<void>((resolve) => (planned = resolve))
    ;(app.accounts.get('main')!.clients.ecs as unknown as HeldStack).middlewareStack.add(
      (next, ctx) => async (args) => {
        const operation = (ctx.commandName ?? '').replace(/Command$/, '')
        if (operation === 'DescribeServices' && settled.length === 0) {
          reached()
          await released
        }
        try {
          return await next(args)
        } finally {
          settled.push(operation)
          if (settled.includes('DescribeTasks') && settled.includes('DescribeTaskDefinition')) planned()
        }
      },
      { step: 'initialize', priority: 'low', name: 'hold-first-describe-services' },
    )
    const serverSide = new Promise<Socket>((resolve) => app.server.once('connection', resolve))
    const req = request(path, { headers: { ...authHeaders, accept: 'text/event-stream' } })
    req.on('error', () => undefined)
    req.end()
    const socket = await serverSide
    await held
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    req.destroy()
    await gone
    release()
    // The follow's lookups are done; a macrotask later its stream was opened (into the closed socket).
    await plannedAll
    await new Promise((resolve) => setImmediate(resolve))

    const next = await open(path)
    expect(next.res.statusCode).toBe(200)
    next.close()
  })
})

describe('the default limit of follows', () => {
  it('answers the 101st follow with 503 and Retry-After when the config sets no limit (default 100, heartbeat 15 s)', async () => {
    const clients = motoClients()
    await seedLoggingService(clients)
    // Only the polls are slowed (a service without tasks has nothing to read): the limit and heartbeat are the defaults.
    const app = await buildTestApp({ logs: { followPollMinMs: 60_000, followPollMaxMs: 60_000 } })
    expect(app.config.logs).toMatchObject({ maxFollows: 100, followHeartbeatMs: 15_000 })
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    const path = `${url}/v1/ecs/main/clusters/space1/services/web/logs?follow=true`
    const follows: Follow[] = []
    try {
      // Opened ten at a time: every one of the first 100 is a stream.
      for (let batch = 0; batch < 10; batch++) follows.push(...(await Promise.all(Array.from({ length: 10 }, () => open(path)))))
      expect(follows.map((f) => f.res.statusCode)).toEqual(Array.from({ length: 100 }, () => 200))
      const refused = await open(path)
      follows.push(refused)
      expect(refused.res.statusCode).toBe(503)
      expect(refused.res.headers['retry-after']).toBe('5')
    } finally {
      for (const f of follows) f.close()
    }
  })
})

describe('GET .../tasks/{task}/logs?follow=true', () => {
  it('follows one task, with keep-alive comments while idle, until it stops, then ends', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const task = await runServiceTask(clients, taskDefinitionArn)
    const { url } = await followApp()
    const follow = await open(`${url}/v1/ecs/main/clusters/space1/tasks/${task}/logs?follow=true&container=app`)
    expect(follow.res.statusCode).toBe(200)
    await writeLines(clients, task, [[Date.now(), 'working']])
    await follow.until((e) => logLines(e).includes('working'))
    // The heartbeat is 100 ms here (15 s by default): comments keep an idle stream open.
    await follow.until(() => follow.keepAlives > 0)
    await clients.ecs.send(new (await import('@aws-sdk/client-ecs')).StopTaskCommand({ cluster: 'space1', task, reason: 'done' }))
    await follow.until((e) => e.some((x) => x.event === 'end'))
    expect(logLines(follow.events)).toEqual(['working'])
  })
})

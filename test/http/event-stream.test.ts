import { type IncomingMessage, request } from 'node:http'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { errorHandlerPlugin } from '../../src/http/error-handler.js'
import { openEventStream, StreamSlots, wantsEventStream, type EventStream } from '../../src/http/event-stream.js'
import { markWaitApplied, requestedWaitSeconds } from '../../src/http/wait-preference.js'

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('server-sent events', () => {
  it('writes retry, events with ids, heartbeats and an end event; resumes from Last-Event-ID', async () => {
    app = Fastify()
    let seenLastId: string | undefined
    let stream: EventStream | undefined
    app.get('/stream', (request, reply) => {
      expect(wantsEventStream(request)).toBe(true)
      stream = openEventStream(request, reply, { heartbeatMs: 20 })
      seenLastId = stream.lastEventId
      stream.send({ id: '1', event: 'log', data: { Message: 'one' } })
    })
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const res = await fetch(`${base}/stream`, { headers: { accept: 'text/event-stream', 'last-event-id': '0' } })
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    // The stream ends once the client has seen a heartbeat, not after a guessed number of them.
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const readTo = async (marker: string): Promise<void> => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`the stream ended before ${JSON.stringify(marker)}:\n${text}`)
        text += decoder.decode(value, { stream: true })
      }
    }
    await readTo(': keep-alive\n\n')
    stream!.end({ Reason: 'done' })
    await readTo('event: end')
    await reader.cancel()
    expect(seenLastId).toBe('0')
    expect(text.startsWith('retry: 3000\n\n')).toBe(true)
    expect(text).toContain('id: 1\nevent: log\ndata: {"Message":"one"}\n\n')
    expect(text).toContain(': keep-alive\n\n')
    expect(text).toContain('event: end\ndata: {"Reason":"done"}\n\n')
  })

  it('aborts its signal when the client goes away, and frees its slot', async () => {
    app = Fastify()
    const slots = new StreamSlots(1, 'follows')
    let gone: Promise<void> | undefined
    app.get('/stream', (request, reply) => {
      const stream = openEventStream(request, reply, { slots })
      gone = new Promise((resolve) => stream.signal.addEventListener('abort', () => resolve()))
      stream.send({ event: 'hello', data: {} })
    })
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const req = request(`${base}/stream`)
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve).end())
    await new Promise<void>((resolve) => res.on('data', (chunk: Buffer) => chunk.toString().includes('hello') && resolve()))
    expect(slots.inUse).toBe(1)
    req.destroy()
    await gone
    expect(slots.inUse).toBe(0)
  })

  it('is over at once, its slot free, when the client left before the stream opened', async () => {
    app = Fastify()
    const slots = new StreamSlots(1, 'follows')
    let clientGone!: () => void
    const gone = new Promise<void>((resolve) => (clientGone = resolve))
    let opened!: (aborted: boolean) => void
    const result = new Promise<boolean>((resolve) => (opened = resolve))
    app.get('/stream', async (request, reply) => {
      // The route's own lookups take until the client has gone.
      request.raw.socket.once('close', () => clientGone())
      await gone
      const stream = openEventStream(request, reply, { slots })
      opened(stream.signal.aborted)
      return reply
    })
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const req = request(`${base}/stream`)
    req.on('error', () => undefined)
    req.end()
    app.server.once('request', () => setImmediate(() => req.destroy()))
    expect(await result).toBe(true)
    expect(slots.inUse).toBe(0)
  })

  it('answers 503 with Retry-After when every slot is taken', async () => {
    app = Fastify()
    await app.register(errorHandlerPlugin)
    const slots = new StreamSlots(0, 'follows')
    app.get('/stream', (request, reply) => {
      openEventStream(request, reply, { slots })
    })
    const res = await app.inject({ url: '/stream' })
    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.json().detail).toContain('too many open follows')
  })
})

describe('wait preference', () => {
  async function ask(url: string, prefer?: string): Promise<{ status: number; body: Record<string, unknown>; applied?: string }> {
    app ??= Fastify()
    if (!app.hasRoute({ method: 'GET', url: '/w' })) {
      await app.register(errorHandlerPlugin)
      app.get('/w', async (request, reply) => {
        const seconds = requestedWaitSeconds(request, 600)
        if (seconds !== undefined) markWaitApplied(reply, seconds)
        return { seconds: seconds ?? null }
      })
    }
    const res = await app.inject({ url, headers: prefer === undefined ? {} : { prefer } })
    return { status: res.statusCode, body: res.json(), applied: res.headers['preference-applied'] as string | undefined }
  }

  it('reads ?wait and Prefer: wait, the query first', async () => {
    expect(await ask('/w')).toEqual({ status: 200, body: { seconds: null } })
    expect((await ask('/w?wait=30')).body).toEqual({ seconds: 30 })
    expect(await ask('/w', 'respond-async, wait=12')).toEqual({ status: 200, body: { seconds: 12 }, applied: 'wait=12' })
    expect((await ask('/w?wait=1', 'wait=12')).body).toEqual({ seconds: 1 })
  })

  it('refuses a wait that is not a non-negative number or over the maximum, naming it', async () => {
    for (const [url, prefer, field] of [
      ['/w?wait=-1', undefined, 'wait'],
      ['/w?wait=soon', undefined, 'wait'],
      ['/w?wait=601', undefined, 'wait'],
      ['/w', 'wait=abc', 'Prefer'],
    ] as const) {
      const { status, body } = await ask(url, prefer)
      expect(status, url).toBe(400)
      expect(body.field).toBe(field)
    }
  })
})

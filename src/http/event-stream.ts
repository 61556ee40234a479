import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../core/errors.js'

/**
 * Server-sent events, the one implementation every streaming route uses: a `retry:` hint first, then
 * `id:` / `event:` / one line of JSON `data:` per event, a `: keep-alive` comment every heartbeat, and
 * an `end` event when there is nothing more to follow. `signal` aborts as soon as the client goes
 * away (or the stream ends), so whatever polls for the stream stops with it.
 */

export interface StreamEvent {
  /** Opaque cursor a client resumes from with `Last-Event-ID`; no line breaks. */
  id?: string
  /** The event's type, such as `log`, `deployment`, `task-stopped`. */
  event: string
  data: unknown
}

export interface EventStream {
  /** The `Last-Event-ID` the client sent (a reconnect resumes after it). */
  readonly lastEventId: string | undefined
  /** Aborted when the client disconnects or the stream was ended. */
  readonly signal: AbortSignal
  /** Writes one event; false once the stream is closed. */
  send(event: StreamEvent): boolean
  /** Writes the `end` event (with `data`, or `{}`) and closes the stream. */
  end(data?: unknown): void
}

export interface EventStreamOptions {
  /** Milliseconds between keep-alive comments (15 s unless a test needs them sooner). */
  heartbeatMs?: number
  /** Reconnect delay suggested to clients, in milliseconds. */
  retryMs?: number
  /** Bounds how many streams this process holds open at once (a full pool answers 503). */
  slots?: StreamSlots
}

/** True when the request asks for server-sent events (`Accept: text/event-stream`). */
export function wantsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept
  return typeof accept === 'string' && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept)
}

/** Counts the open streams of one kind in this process, so a flood of followers cannot exhaust it. */
export class StreamSlots {
  private open = 0
  constructor(
    readonly limit: number,
    private readonly what = 'streams',
  ) {}

  get inUse(): number {
    return this.open
  }

  /** Takes a slot or answers 503 with Retry-After; `release` must be called exactly once. */
  acquire(): () => void {
    if (this.open >= this.limit) {
      throw new DomainError('ServiceUnavailable', `too many open ${this.what} (at most ${this.limit}); retry later`, {
        retryAfter: 5,
      })
    }
    this.open++
    let released = false
    return () => {
      if (released) return
      released = true
      this.open--
    }
  }
}

const SAFE_ID = /^[^\r\n\0]*$/

/**
 * Takes over the response and starts the stream. Anything that can still fail with a problem answer
 * (validation, lookups, a full slot pool) must happen before this call.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  { heartbeatMs = 15_000, retryMs = 3_000, slots }: EventStreamOptions = {},
): EventStream {
  const release = slots?.acquire() ?? (() => undefined)
  const given = request.headers['last-event-id']
  const lastEventId = typeof given === 'string' && given !== '' && SAFE_ID.test(given) ? given : undefined
  const controller = new AbortController()
  const raw = reply.raw

  reply.hijack()
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value)
  }
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Proxies such as nginx buffer responses unless told not to.
    'x-accel-buffering': 'no',
  })
  raw.write(`retry: ${retryMs}\n\n`)

  const heartbeat = setInterval(() => {
    if (!controller.signal.aborted) raw.write(': keep-alive\n\n')
  }, heartbeatMs)
  heartbeat.unref()

  const close = (): void => {
    if (controller.signal.aborted) return
    clearInterval(heartbeat)
    release()
    controller.abort()
  }
  raw.on('close', close)
  request.raw.on('close', () => {
    // The request stream also closes once its body was read; only a destroyed socket means "gone".
    if (request.raw.socket?.destroyed) close()
  })
  // A client that left while the route was still looking things up closed its socket before these
  // listeners existed, and no 'close' comes again: the stream is over at once, so it neither keeps
  // its slot nor lets the caller poll on for nobody.
  if (raw.destroyed || request.raw.socket?.destroyed) close()

  const write = ({ id, event, data }: StreamEvent): boolean => {
    if (controller.signal.aborted || raw.writableEnded) return false
    const idLine = id !== undefined && SAFE_ID.test(id) ? `id: ${id}\n` : ''
    raw.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`)
    return true
  }

  return {
    lastEventId,
    signal: controller.signal,
    send: write,
    end(data?: unknown) {
      write({ event: 'end', data: data ?? {} })
      close()
      if (!raw.writableEnded) raw.end()
    },
  }
}

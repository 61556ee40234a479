/**
 * A loopback HTTP proxy in front of moto that makes every AWS call cost what it costs in a real
 * region, and tells the bench exactly which calls the API made and when.
 *
 * - Every request is delayed by `latencyMs` before it is forwarded (moto itself answers in a few
 *   milliseconds, so without the delay an orchestration's concurrency would be invisible).
 * - Calls are counted by service (the SigV4 credential scope of the `Authorization` header) and
 *   operation (`X-Amz-Target` for the JSON protocols, the `Action` form field for the query
 *   protocols, the path for Smithy RPC v2).
 * - Each call's interval is recorded: start = the request arrived at the proxy, end = the response
 *   was fully handed back to the API. The bench reads these in-process (no HTTP control API: the
 *   proxy lives in the bench's own process).
 *
 * Also runnable alone, e.g. to poke at the API by hand:
 *   npx tsx bench/latency-proxy.ts --target http://127.0.0.1:5000 --latency 50 [--port 4600]
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

export interface CallRecord {
  /** SigV4 signing name, e.g. `ecs`, `elasticloadbalancing`; `-` when unsigned. */
  service: string
  operation: string
  /** `performance.now()` milliseconds: request arrived / response fully written. */
  start: number
  end: number
  /** HTTP status moto answered (502 when moto could not be reached). */
  status: number
  /** The request body, only when `captureBodies` is on (figures that pair API requests with calls). */
  body?: string
}

export interface LatencyProxyOptions {
  /** moto's endpoint, e.g. `http://127.0.0.1:40123`. */
  target: string
  /** Delay added to every call, in ms. */
  latencyMs: number
  /** 0 = a free port. */
  port?: number
  /** Keep each request body on its record (costs memory; off unless a figure needs it). */
  captureBodies?: boolean
}

interface Recorded {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/
const RPC_V2_PATH = /\/service\/[^/]+\/operation\/([^/?]+)/

/** The signing service of a SigV4 `Authorization` header. */
export function serviceOf(authorization: string | undefined): string {
  return (authorization && CREDENTIAL_SCOPE.exec(authorization)?.[1]) || '-'
}

/**
 * EventBridge Scheduler speaks REST-JSON: the operation is the method and the first path segment
 * (a name after it makes it one resource rather than the list).
 */
const REST_OPERATIONS: Record<string, string> = {
  'POST /schedules/': 'CreateSchedule',
  'GET /schedules/': 'GetSchedule',
  'PUT /schedules/': 'UpdateSchedule',
  'DELETE /schedules/': 'DeleteSchedule',
  'GET /schedules': 'ListSchedules',
  'POST /schedule-groups/': 'CreateScheduleGroup',
  'GET /schedule-groups/': 'GetScheduleGroup',
  'DELETE /schedule-groups/': 'DeleteScheduleGroup',
  'GET /schedule-groups': 'ListScheduleGroups',
  'POST /tags/': 'TagResource',
  'DELETE /tags/': 'UntagResource',
  'GET /tags/': 'ListTagsForResource',
}

function restOperationOf(method: string | undefined, url: string): string | undefined {
  const path = url.split('?', 1)[0] ?? ''
  const [, first = '', rest] = /^\/([^/]*)(\/.+)?/.exec(path) ?? []
  return REST_OPERATIONS[`${method ?? 'GET'} /${first}${rest ? '/' : ''}`]
}

/** The operation name of one AWS call, whatever its protocol. */
export function operationOf(headers: IncomingMessage['headers'], url: string, body: string, method?: string): string {
  const target = headers['x-amz-target']
  if (typeof target === 'string' && target !== '') return target.slice(target.lastIndexOf('.') + 1)
  const rpc = RPC_V2_PATH.exec(url)?.[1]
  if (rpc) return rpc
  const query = url.indexOf('?')
  const fromQuery = query >= 0 ? new URLSearchParams(url.slice(query + 1)).get('Action') : null
  if (fromQuery) return fromQuery
  const contentType = headers['content-type'] ?? ''
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(body).get('Action')
    if (action) return action
  }
  return restOperationOf(method, url) ?? 'unknown'
}

export class LatencyProxy {
  latencyMs: number
  captureBodies: boolean
  /**
   * Replay mode: a request whose operation and body were seen before is answered with moto's
   * recorded answer to it, after the same delay, without reaching moto. For read-only load tests
   * on a small machine: moto is single-threaded Python costing several ms of CPU per call, and
   * without replay the figure would measure moto's share of the CPU rather than the API. Every
   * call is still counted and timed. Only for operations that do not change anything.
   */
  replay = false
  /** With `replay` on, replays only the operations whose names match (e.g. reads, under a load that also writes). */
  replayOnly: RegExp | undefined = undefined
  readonly #recorded = new Map<string, Recorded>()
  readonly #target: URL
  readonly #port: number
  // Keep-alive to moto with no socket cap: the proxy must not become the bottleneck it measures.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Infinity })
  #server: Server | undefined
  #records: CallRecord[] = []
  #inFlight = 0

  constructor(options: LatencyProxyOptions) {
    this.#target = new URL(options.target)
    this.latencyMs = options.latencyMs
    this.#port = options.port ?? 0
    this.captureBodies = options.captureBodies ?? false
  }

  /** Starts listening on 127.0.0.1; resolves to the proxy's endpoint (`http://127.0.0.1:PORT`). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        // The API went away mid-request: answer if still possible; 'close' closes the record.
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(`latency proxy: ${(err as Error).message}`)
      })
    })
    // The SDK keeps sockets to the proxy open between calls; Node's default 5 s keep-alive timeout
    // would close some just as the SDK reuses them, and the resulting retries would inflate counts.
    server.keepAliveTimeout = 120_000
    server.headersTimeout = 125_000
    this.#server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => resolve())
    })
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    this.#agent.destroy()
  }

  /** Forgets every record (counts included). */
  reset(): void {
    this.#records = []
  }

  /** Calls recorded since the last reset, in order of completion. */
  calls(): readonly CallRecord[] {
    return this.#records
  }

  /** Calls still in flight (a figure waits for 0 before it reads its records). */
  get inFlight(): number {
    return this.#inFlight
  }

  /** Counts since the last reset, keyed `service:Operation`, sorted by key. */
  counts(): Record<string, number> {
    return countCalls(this.#records)
  }

  /** Resolves once no call is in flight (or after `timeoutMs`). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.#inFlight > 0 && Date.now() < deadline) await sleep(5)
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = performance.now()
    this.#inFlight++
    const record: CallRecord = { service: serviceOf(req.headers.authorization), operation: 'unknown', start, end: start, status: 0 }
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      record.end = performance.now()
      this.#inFlight--
      this.#records.push(record)
    }
    res.once('finish', finish)
    res.once('close', finish)

    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const bodyText = raw.toString('utf8')
    record.operation = operationOf(req.headers, req.url ?? '/', bodyText, req.method)
    if (this.captureBodies) record.body = bodyText

    if (this.latencyMs > 0) await sleep(this.latencyMs)

    const replayable = this.replay && (this.replayOnly === undefined || this.replayOnly.test(record.operation))
    const replayKey = replayable ? `${record.service}:${record.operation}:${bodyText}` : undefined
    const recorded = replayKey === undefined ? undefined : this.#recorded.get(replayKey)
    if (recorded) {
      record.status = recorded.status
      res.writeHead(recorded.status, recorded.headers)
      res.end(recorded.body)
      return
    }

    const headers = { ...req.headers }
    delete headers.connection
    headers['content-length'] = String(raw.length)
    const upstream = httpRequest(
      {
        protocol: this.#target.protocol,
        hostname: this.#target.hostname,
        port: this.#target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: this.#agent,
      },
      (up) => {
        record.status = up.statusCode ?? 0
        const outHeaders = { ...up.headers }
        delete outHeaders.connection
        delete outHeaders['keep-alive']
        res.writeHead(record.status, outHeaders)
        if (replayKey !== undefined && record.status === 200) {
          const parts: Buffer[] = []
          up.on('data', (chunk: Buffer) => parts.push(chunk))
          // Without its Date: a stale Date would make the SDK think its clock is off.
          const { date: _date, ...kept } = outHeaders
          up.on('end', () => this.#recorded.set(replayKey, { status: record.status, headers: kept, body: Buffer.concat(parts) }))
        }
        up.pipe(res)
      },
    )
    upstream.on('error', (err) => {
      record.status = 502
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`latency proxy: ${err.message}`)
    })
    upstream.end(raw)
  }
}

/** `service:Operation` -> number of calls, sorted by key. */
export function countCalls(records: readonly CallRecord[]): Record<string, number> {
  const counts = new Map<string, number>()
  for (const r of records) {
    const key = `${r.service}:${r.operation}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * Length of the critical path of a set of recorded calls.
 *
 * Definition: the largest k for which there are calls c1, ..., ck with end(ci) <= start(ci+1) for
 * every i, i.e. the longest chain of calls in which each one started only after the previous one
 * had finished. A call that depends on another's answer can only start after it ended, so every
 * dependency chain is such a chain; calls that ran side by side overlap in time and never both
 * belong to one. With a latency L per call, wall time >= k * L. (Two independent calls that the
 * API happened to run one after the other also form a chain: the figure is what the API actually
 * made the caller wait for, not a bound derived from the code.)
 *
 * Computation: a set of calls forms such a chain exactly when the calls are pairwise disjoint in
 * time (disjoint intervals are totally ordered by time), so k is the maximum number of pairwise
 * disjoint intervals, which the classic greedy finds: take calls by increasing end, keep each one
 * that starts at or after the end of the last one kept.
 */
export function criticalPathLength(records: readonly Pick<CallRecord, 'start' | 'end'>[]): number {
  return criticalPath(records).length
}

/**
 * One longest chain (see criticalPathLength()), in time order. When independent branches run one
 * step at a time side by side, the chain may hop between them: its length is the number of
 * sequential rounds, its members are one way to fill them.
 */
export function criticalPath<R extends Pick<CallRecord, 'start' | 'end'>>(records: readonly R[]): R[] {
  const byEnd = [...records].sort((a, b) => a.end - b.end)
  const chain: R[] = []
  let lastEnd = Number.NEGATIVE_INFINITY
  for (const r of byEnd) {
    if (r.start >= lastEnd) {
      chain.push(r)
      lastEnd = r.end
    }
  }
  return chain
}

// Standalone use: forward to --target with --latency, print counts on SIGINT.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
  }
  const target = arg('--target')
  if (!target) {
    console.error('usage: tsx bench/latency-proxy.ts --target http://127.0.0.1:PORT [--latency MS] [--port PORT]')
    process.exit(2)
  }
  const proxy = new LatencyProxy({ target, latencyMs: Number(arg('--latency') ?? 50), port: Number(arg('--port') ?? 0) })
  const url = await proxy.start()
  console.log(`latency proxy ${url} -> ${target}, +${proxy.latencyMs} ms per call; Ctrl-C prints the counts`)
  process.on('SIGINT', () => {
    console.log(JSON.stringify({ calls: proxy.calls().length, criticalPath: criticalPathLength(proxy.calls()), counts: proxy.counts() }, null, 2))
    void proxy.stop().then(() => process.exit(0))
  })
}

/**
 * Figure 1, request overhead: what the API adds on top of the AWS call for an authenticated read
 * that makes exactly one AWS call, under autocannon load.
 *
 * Every connection reads its own resource (its own key), and HTTP/1.1 without pipelining keeps one
 * request in flight per connection, so the n-th response on connection c belongs to the n-th AWS
 * call carrying c's key. Each request's overhead is its latency as autocannon measured it minus the
 * duration of its own AWS call as the proxy measured it (the added delay and moto's time); the
 * figure's median and p95 are over those per-request differences. What remains is the API's own
 * work (auth, routing, validation, SDK, encoding) plus the loopback hops and, under load, waiting
 * for a turn on the CPU or for a free socket in the SDK's pool.
 *
 * By default the proxy replays moto's recorded answer to a repeated read (LatencyProxy.replay):
 * on a 2-core machine moto's Python would otherwise take most of the CPU at 0 ms, and the figure
 * would measure the API waiting for moto's share of it. `--no-replay` sends every call to moto.
 */
import type { Client } from 'autocannon'
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import type { BenchContext, Figure, Row } from '../lib/figure.js'
import { runLoad } from '../lib/load.js'
import { median, p95, round } from '../lib/stats.js'
import { chooseOneCallRead } from './one-call-read.js'

const CONNECTIONS = [1, 16, 64] as const
const LATENCIES = [0, 50] as const

/** Requests per measurement: enough for a stable p95, small enough for a few seconds each. */
function amountFor(connections: number, latencyMs: number, quick: boolean): number {
  const base = connections === 1 ? (latencyMs > 0 ? 100 : 300) : connections === 16 ? 800 : 1200
  return quick ? Math.ceil(base / 4) : base
}

export const overheadFigure: Figure = {
  id: 'overhead',
  title: 'Request overhead (API latency minus its one AWS call)',
  target: 'median < 1 ms and p95 < 5 ms at 16 connections',
  async run(ctx: BenchContext): Promise<Row[]> {
    const api = await ctx.api()
    const maxConnections = Math.max(...CONNECTIONS)
    const chosen = await chooseOneCallRead(ctx, api, maxConnections)
    if ('reasons' in chosen) {
      return [{ label: 'one-call read', status: 'n/a', reason: `no one-call read route available: ${chosen.reasons.join('; ')}` }]
    }
    const { read, keys } = chosen
    const pathOf = (account: string, key: string): string => read.path(account, key)
    const rows: Row[] = []
    const savedLatency = ctx.proxy.latencyMs
    ctx.proxy.captureBodies = true
    ctx.proxy.replay = ctx.replay
    try {
      for (const latencyMs of LATENCIES) {
        ctx.proxy.latencyMs = latencyMs
        for (const connections of CONNECTIONS) {
          rows.push(await measure(ctx, api.origin, keys, pathOf, connections, latencyMs, amountFor(connections, latencyMs, ctx.quick), read.route))
        }
      }
    } finally {
      ctx.proxy.captureBodies = false
      ctx.proxy.replay = false
      ctx.proxy.latencyMs = savedLatency
    }
    return rows
  },
}

async function measure(
  ctx: BenchContext,
  origin: string,
  keys: readonly string[],
  pathOf: (account: string, key: string) => string,
  connections: number,
  latencyMs: number,
  amount: number,
  route: string,
): Promise<Row> {
  const label = `${connections} conn, +${latencyMs} ms`
  const headers = { 'x-auth-token': ctx.authToken }
  const clientKey = new Map<Client, string>()
  const load = (total: number, onResponse?: (client: Client, status: number, ms: number) => void) => {
    let next = 0
    clientKey.clear()
    return runLoad(
      {
      url: origin,
      connections,
      amount: total,
      headers,
      timeout: 30,
        setupClient: (client: Client) => {
          const key = keys[next++ % keys.length]!
          clientKey.set(client, key)
          client.setRequests([{ method: 'GET', path: pathOf(BENCH_ACCOUNT, key) }])
        },
      },
      onResponse && ((client, status, _bytes, ms) => onResponse(client, status, ms)),
    )
  }

  // Warm-up (not measured): connections, the SDK's sockets, the bcrypt cache of the header.
  await load(Math.max(connections * 2, 20))
  await ctx.proxy.idle()
  ctx.proxy.reset()

  const perKey = new Map<string, { ms: number; status: number }[]>()
  // autocannon's own duration is rounded up to its 1 s reporting tick; req/s comes from these.
  let firstStart = Number.POSITIVE_INFINITY
  let lastEnd = Number.NEGATIVE_INFINITY
  const result = await load(amount, (client, status, ms) => {
    const now = performance.now()
    firstStart = Math.min(firstStart, now - ms)
    lastEnd = Math.max(lastEnd, now)
    const key = clientKey.get(client)!
    let list = perKey.get(key)
    if (!list) perKey.set(key, (list = []))
    list.push({ ms, status })
  })
  await ctx.proxy.idle()
  const calls = [...ctx.proxy.calls()]

  // Pair the n-th response of each key with the n-th AWS call carrying that key (by start time).
  const callsPerKey = new Map<string, number[]>()
  const ordered = [...calls].sort((a, b) => a.start - b.start)
  for (const call of ordered) {
    const key = keys.find((k) => call.body?.includes(k))
    if (key === undefined) continue
    let list = callsPerKey.get(key)
    if (!list) callsPerKey.set(key, (list = []))
    list.push(call.end - call.start)
  }
  const overheads: number[] = []
  const apiLatencies: number[] = []
  const awsLatencies: number[] = []
  let unpaired = 0
  let non2xx = 0
  for (const [key, responses] of perKey) {
    const durations = callsPerKey.get(key) ?? []
    responses.forEach((r, i) => {
      if (r.status < 200 || r.status > 299) non2xx++
      const aws = durations[i]
      if (aws === undefined) {
        unpaired++
        return
      }
      apiLatencies.push(r.ms)
      awsLatencies.push(aws)
      overheads.push(r.ms - aws)
    })
  }
  // Calls of requests autocannon cut off when it reached `amount` have no response; they are the
  // only calls allowed beyond one per response.
  const responses = result.requests.total
  const callsPerRequest = responses > 0 ? calls.length / responses : Number.NaN
  const reqPerSec = lastEnd > firstStart ? responses / ((lastEnd - firstStart) / 1000) : Number.NaN
  const notes = [`${round(reqPerSec, 0)} req/s`]
  if (non2xx > 0) notes.push(`${non2xx} non-2xx`)
  if (unpaired > 0) notes.push(`${unpaired} unpaired`)
  return {
    label,
    status: non2xx > 0 ? 'error' : 'ok',
    ...(non2xx > 0 ? { reason: `${non2xx} responses were not 2xx` } : {}),
    unit: 'ms',
    median: round(median(overheads), 2),
    p95: round(p95(overheads), 2),
    runs: overheads.length,
    awsCalls: `${calls.length} (${round(callsPerRequest, 3)}/req)`,
    note: notes.join(', '),
    details: {
      route,
      replayedAwsAnswers: ctx.proxy.replay,
      connections,
      latencyMs,
      requests: responses,
      reqPerSec: round(reqPerSec, 1),
      apiLatencyMs: { median: round(median(apiLatencies), 2), p95: round(p95(apiLatencies), 2) },
      awsLatencyMs: { median: round(median(awsLatencies), 2), p95: round(p95(awsLatencies), 2) },
      overheadMs: { median: round(median(overheads), 3), p95: round(p95(overheads), 3) },
      autocannonLatencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
      errors: result.errors,
      timeouts: result.timeouts,
      unpaired,
      awsCallsByOperation: ctx.proxy.counts(),
    },
  }
}

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
 *
 * Against a direct call (proxy at 0 ms, same replay setting): the API's latency at 1 client and its
 * throughput at 16 clients, next to the same AWS call (the exact request body the API sent for each
 * resource) made from the bench process with the AWS SDK, 1 and 16 concurrent callers, warmed the
 * same way. API and direct run in alternating blocks so the machine's drifting load hits both.
 */
import type { Client } from 'autocannon'
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import { DescribeSecretCommand, type DescribeSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import type { BenchContext, Figure, Row } from '../lib/figure.js'
import { atLeast, atMost } from '../lib/figure.js'
import { type ConcurrentRun, directClients, runConcurrent } from '../lib/direct.js'
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
  target: 'API minus direct <= +0.5 ms at 1 client (medians); API throughput >= 95% of direct at 16 clients (proxy at 0 ms)',
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
      ctx.proxy.latencyMs = 0
      rows.push(...(await versusDirect(ctx, api.origin, keys, pathOf, read.operation)))
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

/** The target's comparison: (clients, requests) and what is compared. */
const DIRECT_RUNS = [
  { connections: 1, amount: 300, compare: 'latency' },
  { connections: 16, amount: 800, compare: 'throughput' },
] as const

interface ApiSample {
  latencies: number[]
  responses: number
  elapsedMs: number
  non2xx: number
}

/** `amount` API requests over `connections` autocannon connections, each reading its own key. */
async function apiLoad(
  ctx: BenchContext,
  origin: string,
  keys: readonly string[],
  pathOf: (account: string, key: string) => string,
  connections: number,
  amount: number,
): Promise<ApiSample> {
  let next = 0
  const latencies: number[] = []
  let non2xx = 0
  let firstStart = Number.POSITIVE_INFINITY
  let lastEnd = Number.NEGATIVE_INFINITY
  await runLoad(
    {
      url: origin,
      connections,
      amount,
      headers: { 'x-auth-token': ctx.authToken },
      timeout: 30,
      setupClient: (client: Client) => client.setRequests([{ method: 'GET', path: pathOf(BENCH_ACCOUNT, keys[next++ % keys.length]!) }]),
    },
    (_client, status, _bytes, ms) => {
      const now = performance.now()
      firstStart = Math.min(firstStart, now - ms)
      lastEnd = Math.max(lastEnd, now)
      latencies.push(ms)
      if (status < 200 || status > 299) non2xx++
    },
  )
  return { latencies, responses: latencies.length, elapsedMs: lastEnd - firstStart, non2xx }
}

/**
 * The figure the target states: API vs the same AWS call made directly, proxy at 0 ms. Latency rows
 * compare medians at 1 client; throughput rows compare requests per second at 16 clients.
 */
async function versusDirect(
  ctx: BenchContext,
  origin: string,
  keys: readonly string[],
  pathOf: (account: string, key: string) => string,
  operation: string,
): Promise<Row[]> {
  if (operation !== 'DescribeSecret') {
    return [{ label: 'API vs direct', status: 'n/a', reason: `the direct call is only wired for DescribeSecret, the read made ${operation}` }]
  }
  // The exact input the API sent for each resource, so the direct call is the same call (and, with
  // replay on, is answered from the same recording).
  const inputs = new Map<string, DescribeSecretCommandInput>()
  for (const key of keys.slice(0, Math.max(...DIRECT_RUNS.map((r) => r.connections)))) {
    await ctx.proxy.idle()
    ctx.proxy.reset()
    const res = await fetch(origin + pathOf(BENCH_ACCOUNT, key), { headers: { 'x-auth-token': ctx.authToken } })
    await res.arrayBuffer()
    await ctx.proxy.idle()
    const body = ctx.proxy.calls()[0]?.body
    if (res.status !== 200 || body === undefined) throw new Error(`API vs direct: GET of ${key} answered ${res.status} with ${ctx.proxy.calls().length} AWS calls`)
    inputs.set(key, JSON.parse(body) as DescribeSecretCommandInput)
  }
  const direct = directClients(ctx.awsEndpoint)
  const rows: Row[] = []
  try {
    for (const run of DIRECT_RUNS) {
      const { connections } = run
      const amount = ctx.quick ? Math.ceil(run.amount / 4) : run.amount
      const blocks = ctx.quick ? 1 : connections === 1 ? 3 : 2
      const callerInput = (c: number): DescribeSecretCommandInput => inputs.get(keys[c % keys.length]!)!
      const directLoad = (total: number): Promise<ConcurrentRun> =>
        runConcurrent(connections, total, (c) => direct.secrets.send(new DescribeSecretCommand(callerInput(c))))
      // Warm-up of both (not measured): sockets, the bcrypt cache, the replay recordings, and the
      // JIT: V8 optimises a function after hundreds of calls, so a few dozen requests left both
      // sides (the API's request path, the direct caller's SDK) partly unoptimised while measured.
      const warm = ctx.quick ? 200 : 1000
      await apiLoad(ctx, origin, keys, pathOf, connections, warm)
      await directLoad(warm)
      const api: ApiSample[] = []
      const dir: ConcurrentRun[] = []
      for (let b = 0; b < blocks; b++) {
        const share = Math.ceil(amount / blocks)
        await ctx.proxy.idle()
        api.push(await apiLoad(ctx, origin, keys, pathOf, connections, share))
        await ctx.proxy.idle()
        dir.push(await directLoad(share))
      }
      const apiLat = api.flatMap((s) => s.latencies)
      const dirLat = dir.flatMap((s) => s.latencies)
      const non2xx = api.reduce((n, s) => n + s.non2xx, 0)
      const failures = dir.reduce((n, s) => n + s.failures, 0)
      const apiRate = apiLat.length / (api.reduce((t, s) => t + s.elapsedMs, 0) / 1000)
      const dirRate = dirLat.length / (dir.reduce((t, s) => t + s.elapsedMs, 0) / 1000)
      const problems = [
        ...(non2xx > 0 ? [`${non2xx} API answers not 2xx`] : []),
        ...(failures > 0 ? [`${failures} direct calls failed (${dir.find((d) => d.firstError)?.firstError ?? ''})`] : []),
      ]
      const label = `${connections} client${connections === 1 ? '' : 's'}, +0 ms, vs direct`
      const common = {
        status: problems.length > 0 ? ('error' as const) : ('ok' as const),
        ...(problems.length > 0 ? { reason: problems.join('; ') } : {}),
        runs: apiLat.length,
        awsCalls: '1/req',
        details: {
          connections,
          blocks,
          replayedAwsAnswers: ctx.proxy.replay,
          apiLatencyMs: { median: round(median(apiLat), 3), p95: round(p95(apiLat), 3) },
          directLatencyMs: { median: round(median(dirLat), 3), p95: round(p95(dirLat), 3) },
          apiReqPerSec: round(apiRate, 1),
          directCallsPerSec: round(dirRate, 1),
        },
      }
      const latencyDiff = median(apiLat) - median(dirLat)
      if (run.compare === 'latency') {
        rows.push({
          label: `${label}: latency`,
          unit: 'ms',
          median: round(median(apiLat), 2),
          p95: round(p95(apiLat), 2),
          direct: round(median(dirLat), 2),
          ...atMost(latencyDiff, 0.5, 'API - direct', 'ms'),
          note: `medians; p95 API ${round(p95(apiLat), 2)}, direct ${round(p95(dirLat), 2)}; ${round(apiRate, 0)} vs ${round(dirRate, 0)} req/s`,
          ...common,
        })
      } else {
        rows.push({
          label: `${label}: throughput`,
          unit: 'req/s',
          median: round(apiRate, 0),
          direct: round(dirRate, 0),
          ...atLeast(apiRate / dirRate, 0.95, 'API / direct'),
          target: 'API / direct >= 95%',
          note: `latency medians API ${round(median(apiLat), 2)} ms, direct ${round(median(dirLat), 2)} ms`,
          ...common,
        })
      }
    }
  } finally {
    direct.destroy()
  }
  return rows
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

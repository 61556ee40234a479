/**
 * Figure 5, memory: resident memory of the API process idle with 1 and with 100 accounts
 * configured, and after 10,000 mixed requests.
 *
 * Idle RSS depends on when the garbage collector last ran, so each configuration is started
 * several times (fresh processes) and sampled a few times after it settles; a process's figure is
 * the median of its samples, and the row reports the median and p95 over processes.
 */
import type { Request } from 'autocannon'
import type { ApiProcess } from '../lib/api-process.js'
import { accountNames } from '../lib/api-process.js'
import type { BenchContext, Figure, Row } from '../lib/figure.js'
import { atMost } from '../lib/figure.js'
import { runLoad } from '../lib/load.js'
import { median, p95, round, sleep } from '../lib/stats.js'
import { chooseOneCallRead } from './one-call-read.js'

const SETTLE_MS = 2000
const IDLE_TARGET_MIB = 80
const SAMPLES = 5
const SAMPLE_EVERY_MS = 200

/** RSS of a process left alone: 2 s after start, the median of 5 samples 200 ms apart (MiB). */
export async function idleRss(api: ApiProcess): Promise<number> {
  await sleep(SETTLE_MS)
  const samples: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(api.memory().rssMiB)
    await sleep(SAMPLE_EVERY_MS)
  }
  return median(samples)
}

export const memoryFigure: Figure = {
  id: 'memory',
  title: 'Memory of the API process (RSS)',
  target: 'idle RSS <= 80 MiB with 1 and with 100 accounts',
  async run(ctx: BenchContext): Promise<Row[]> {
    const processes = ctx.quick ? 1 : 3
    const rows: Row[] = []
    const idle: Record<number, number[]> = { 1: [], 100: [] }
    // Interleaved, so slow drift of the machine's load affects both configurations alike.
    for (let i = 0; i < processes; i++) {
      for (const accounts of [1, 100]) {
        const api = await ctx.startApi(accounts, `memory-${accounts}`, { discoverRoutes: false })
        try {
          idle[accounts]!.push(await idleRss(api))
        } finally {
          await api.stop()
        }
      }
    }
    for (const accounts of [1, 100]) {
      const values = idle[accounts]!
      rows.push({
        label: `idle, ${accounts} account${accounts === 1 ? '' : 's'}`,
        status: 'ok',
        unit: 'MiB',
        median: round(median(values), 1),
        p95: round(p95(values), 1),
        runs: values.length,
        awsCalls: 0,
        ...atMost(median(values), IDLE_TARGET_MIB, 'median', 'MiB'),
        details: { rssMiB: values.map((v) => round(v, 1)) },
      })
    }
    const ratio = median(idle[100]!) / median(idle[1]!)
    rows.push({ label: 'idle 100 / idle 1 accounts', status: 'ok', unit: 'x', median: round(ratio, 2), runs: processes, note: 'ratio of the medians' })
    rows.push(await afterMixedRequests(ctx))
    return rows
  },
}

/**
 * 10,000 requests over 16 connections against a 100-account process, spread over the accounts (so
 * each account's SDK clients get created): 40% one-call AWS reads when such a route exists, the rest
 * public routes, unauthenticated requests and unknown accounts. The proxy runs at 0 ms and replays
 * repeated reads (unless --no-replay): the figure is about the API's memory, not moto's pace.
 */
async function afterMixedRequests(ctx: BenchContext): Promise<Row> {
  const total = ctx.quick ? 2000 : 10_000
  const accounts = accountNames(100)
  const api = await ctx.startApi(100, 'memory-mixed')
  const savedLatency = ctx.proxy.latencyMs
  ctx.proxy.latencyMs = 0
  ctx.proxy.replay = ctx.replay
  try {
    const before = api.memory()
    const chosen = await chooseOneCallRead(ctx, api, 20)
    const read = 'reasons' in chosen ? undefined : chosen
    let n = 0
    const auth = { 'x-auth-token': ctx.authToken }
    const mix: { name: string; weight: number; request: () => Request }[] = [
      ...(read
        ? [{ name: read.read.route, weight: 4, request: (): Request => ({ method: 'GET', path: read.read.path(accounts[n % accounts.length]!, read.keys[n % read.keys.length]!), headers: auth }) }]
        : []),
      { name: 'GET /v1/ecs/ping', weight: 2, request: (): Request => ({ method: 'GET', path: '/v1/ecs/ping' }) },
      { name: 'GET /v1/ecs/version', weight: 1, request: (): Request => ({ method: 'GET', path: '/v1/ecs/version' }) },
      { name: 'GET /v1/ecs/metrics', weight: 1, request: (): Request => ({ method: 'GET', path: '/v1/ecs/metrics' }) },
      {
        name: 'GET /v1/ecs/{account}/secrets without a token (401)',
        weight: 1,
        request: (): Request => ({ method: 'GET', path: `/v1/ecs/${accounts[n % accounts.length]!}/secrets` }),
      },
      {
        name: 'GET /v1/ecs/{unknown account}/secrets (404)',
        weight: 1,
        request: (): Request => ({ method: 'GET', path: `/v1/ecs/nosuchaccount${n % 50}/secrets`, headers: auth }),
      },
    ]
    const wheel = mix.flatMap((m) => Array.from({ length: m.weight }, () => m))
    const statuses = new Map<number, number>()
    await ctx.proxy.idle()
    ctx.proxy.reset()
    const result = await runLoad(
      {
      url: api.origin,
      connections: 16,
      amount: total,
      timeout: 30,
      requests: [
        {
          // Each request picks the next entry of the mix (and the next account).
          setupRequest: (req: Request): Request => {
            const entry = wheel[n % wheel.length]!
            const out = { ...req, ...entry.request() }
            n++
            return out
          },
        },
        ],
      },
      (_client, status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
    )
    await ctx.proxy.idle()
    const calls = ctx.proxy.calls().length
    await sleep(SETTLE_MS)
    const after = api.memory()
    return {
      label: `after ${total} mixed requests, 100 accounts`,
      status: 'ok',
      unit: 'MiB',
      median: round(after.rssMiB, 1),
      runs: 1,
      awsCalls: calls,
      note: `RSS before ${round(before.rssMiB, 1)}, peak ${round(after.hwmMiB, 1)} MiB; ${round(result.requests.total / result.duration, 0)} req/s`,
      details: {
        rssBeforeMiB: round(before.rssMiB, 1),
        rssAfterMiB: round(after.rssMiB, 1),
        peakMiB: round(after.hwmMiB, 1),
        requests: result.requests.total,
        statuses: Object.fromEntries(statuses),
        mix: mix.map((m) => ({ route: m.name, share: m.weight / wheel.length })),
        ...(read ? {} : { oneCallRead: `n/a: ${(chosen as { reasons: string[] }).reasons.join('; ')}` }),
        awsCallsByOperation: ctx.proxy.counts(),
      },
    }
  } finally {
    ctx.proxy.latencyMs = savedLatency
    ctx.proxy.replay = false
    await api.stop()
  }
}

/**
 * Figure 7, mixed load: a fresh API process (1 account) serves 100 requests per second of mixed reads
 * and writes for `--mixed-minutes` (10 by default, 1 with --quick), at the proxy's latency (50 ms by
 * default). Every write goes to moto; a read whose request repeats one seen before (same operation,
 * same body: the seeded services and secrets, the lists) is answered from moto's first answer unless
 * --no-replay. Its answer may then be stale (a list without the latest secret, a service without its
 * latest tag), which the API passes on without minding; without replay, moto's Python takes most of
 * the 2 cores at 150 to 200 calls a second, and the figure measures the API waiting for moto.
 *
 * - Constant rate (open loop): request i is sent at start + i x 10 ms whether or not the earlier ones
 *   have been answered, as independent clients would; a slow API shows up as requests in flight and
 *   late answers, not as a lower rate. The table's rate is what was actually sent.
 * - The mix (weights out of 16): service list 2, show 2, events 2, tag update 1 (on 8 spaces of 2
 *   services each, seeded straight into moto with the execution role and log group a space made
 *   through the API has); secret list 2, show 3 (8 seeded secrets), create 1,
 *   delete 1; parameter create 1, delete 1. Every write creates or deletes its own resource (a delete
 *   takes the oldest one the load created), so the load can run for any length of time; 10 of each
 *   are created before it starts.
 * - RSS of the API process sampled every 2 s: the value after the first minute, the peak, and peak
 *   over first minute; VmHWM (reset at the start) in the note.
 * - AWS calls per API request: overall from the proxy's count over the whole load, and by AWS
 *   operation. By route they cannot be told apart under concurrency (calls carry nothing that names
 *   the API request), so after the load each route is sent alone, a few times in a row, on the same
 *   warm process, and its calls are counted exactly; the note compares the mix-weighted sum of those
 *   with the overall figure.
 */
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { taskExecutionRoleName } from '../../src/workflows/resources/execution-role-policy.js'
import { motoClientConfig } from '../../test/harness/moto.js'
import { type ApiProcess, BENCH_ACCOUNT, BENCH_REGION, resetPeakRss } from '../lib/api-process.js'
import type { BenchContext, Figure, Row } from '../lib/figure.js'
import { atMost } from '../lib/figure.js'
import { type SeededSpace, motoClients, seedSecrets, seedSpace } from '../lib/seed.js'
import { median, p95, round } from '../lib/stats.js'

const RATE = 100
const SAMPLE_EVERY_MS = 2000
/** Beyond this many requests in flight the API is not keeping up; later slots are skipped and counted. */
const MAX_IN_FLIGHT = 1000
const PEAK_RATIO_TARGET = 1.3
/**
 * The service reads and tag updates spread over this many spaces: a space's changes take turns
 * (space lease), so on few spaces the tag updates would queue behind each other.
 */
const SPACES = 8
const SERVICES_PER_SPACE = 2
/** Secrets and parameters created before the load, so a delete finds one even when creates run late. */
const BUFFER = 20
const CALLS_PER_REQUEST_TARGET = 1.5

const enc = encodeURIComponent

interface Request {
  method: string
  path: string
  body?: unknown
  /** Called with the status when the answer came (the writes note what they created or deleted). */
  done?(status: number): void
}

interface MixOp {
  route: string
  weight: number
  /**
   * The request for slot i (unique over the run: names what a create makes), the k-th of this op
   * (picks the resource a read or update targets, so each op cycles through all of them); undefined
   * when it cannot be made now (a delete with nothing to delete).
   */
  make(i: number, k: number): Request | undefined
}

interface MixState {
  spaces: SeededSpace[]
  secrets: string[]
  /** Secrets and parameters the load created and has not deleted yet, oldest first. */
  createdSecrets: string[]
  createdParams: string[]
  tag: string
}

const PARAM_PREFIX = 'benchmixed'

function mixOps(state: MixState): MixOp[] {
  const account = enc(BENCH_ACCOUNT)
  const space = (k: number): SeededSpace => state.spaces[k % state.spaces.length]!
  const service = (k: number): [string, string] => {
    const s = space(k)
    return [s.cluster, s.services[Math.floor(k / state.spaces.length) % s.services.length]!]
  }
  return [
    { route: 'GET /clusters/{cluster}/services', weight: 2, make: (_i, k) => ({ method: 'GET', path: `/v1/ecs/${account}/clusters/${enc(space(k).cluster)}/services` }) },
    {
      route: 'GET /clusters/{cluster}/services/{service}',
      weight: 2,
      make: (_i, k) => {
        const [c, s] = service(k)
        return { method: 'GET', path: `/v1/ecs/${account}/clusters/${enc(c)}/services/${enc(s)}` }
      },
    },
    {
      route: 'GET /clusters/{cluster}/services/{service}/events',
      weight: 2,
      make: (_i, k) => {
        const [c, s] = service(k)
        return { method: 'GET', path: `/v1/ecs/${account}/clusters/${enc(c)}/services/${enc(s)}/events` }
      },
    },
    {
      route: 'PUT /clusters/{cluster}/services/{service} (tags)',
      weight: 1,
      make: (i, k) => {
        const [c, s] = service(k)
        return { method: 'PUT', path: `/v1/ecs/${account}/clusters/${enc(c)}/services/${enc(s)}`, body: { tags: [{ Key: 'bench-mixed', Value: String(i) }] } }
      },
    },
    { route: 'GET /secrets', weight: 2, make: () => ({ method: 'GET', path: `/v1/ecs/${account}/secrets` }) },
    { route: 'GET /secrets/{secret}', weight: 3, make: (_i, k) => ({ method: 'GET', path: `/v1/ecs/${account}/secrets/${enc(state.secrets[k % state.secrets.length]!)}` }) },
    {
      route: 'POST /secrets',
      weight: 1,
      make: (i) => {
        const name = `bench-mixed-${state.tag}-${i}`
        return {
          method: 'POST',
          path: `/v1/ecs/${account}/secrets`,
          body: { Name: name, SecretString: `value ${i}`, Tags: [{ Key: 'bench', Value: 'mixed' }] },
          done: (status) => void (status === 200 && state.createdSecrets.push(name)),
        }
      },
    },
    {
      route: 'DELETE /secrets/{secret}?window=0',
      weight: 1,
      make: () => {
        const name = state.createdSecrets.shift()
        return name === undefined ? undefined : { method: 'DELETE', path: `/v1/ecs/${account}/secrets/${enc(name)}?window=0` }
      },
    },
    {
      route: 'POST /params/{prefix}',
      weight: 1,
      make: (i) => {
        const name = `p-${state.tag}-${i}`
        return {
          method: 'POST',
          path: `/v1/ecs/${account}/params/${PARAM_PREFIX}`,
          body: { Name: name, Value: `value ${i}`, Type: 'String' },
          done: (status) => void (status === 200 && state.createdParams.push(name)),
        }
      },
    },
    {
      route: 'DELETE /params/{prefix}/{param}',
      weight: 1,
      make: () => {
        const name = state.createdParams.shift()
        return name === undefined ? undefined : { method: 'DELETE', path: `/v1/ecs/${account}/params/${PARAM_PREFIX}/${enc(name)}` }
      },
    },
  ]
}

/** The ops spread evenly over a cycle (each round takes every op whose weight is not used up yet). */
function wheelOf(ops: readonly MixOp[]): MixOp[] {
  const wheel: MixOp[] = []
  const most = Math.max(...ops.map((o) => o.weight))
  for (let round = 0; round < most; round++) for (const op of ops) if (op.weight > round) wheel.push(op)
  return wheel
}

async function send(ctx: BenchContext, api: ApiProcess, req: Request): Promise<{ status: number; ms: number; error?: string }> {
  const started = performance.now()
  try {
    const res = await fetch(api.origin + req.path, {
      method: req.method,
      headers: { 'x-auth-token': ctx.authToken, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    })
    const text = await res.text()
    req.done?.(res.status)
    return { status: res.status, ms: performance.now() - started, ...(res.status >= 400 ? { error: `${req.method} ${req.path}: ${res.status} ${text.slice(0, 300)}` } : {}) }
  } catch (err) {
    // fetch says only "fetch failed"; the reason (connect timeout, reset, ...) is its cause.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    const why = [(err as Error).message, cause?.code, cause?.message].filter(Boolean).join(': ')
    return { status: 0, ms: performance.now() - started, error: `${req.method} ${req.path}: ${why}` }
  }
}

interface RssSample {
  seconds: number
  rssMiB: number
}

const ASSUME_ECS_TASKS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
})

export const mixedFigure: Figure = {
  id: 'mixed',
  title: `Mixed load at ${RATE} requests/s: RSS over time, AWS calls per request`,
  target: `no errors; RSS peak <= ${PEAK_RATIO_TARGET} x RSS after the first minute; <= ${CALLS_PER_REQUEST_TARGET} AWS calls per API request`,
  async run(ctx: BenchContext): Promise<Row[]> {
    const aws = motoClients(ctx.moto.endpoint)
    const tag = Date.now().toString(36)
    let state: MixState
    try {
      const spaces: SeededSpace[] = []
      const iam = new IAMClient(motoClientConfig(ctx.moto.endpoint, undefined, BENCH_REGION))
      try {
        for (let s = 0; s < SPACES; s++) {
          const space = await seedSpace(aws, ctx.vpc, `bench-mixed-${tag}-${s}`, SERVICES_PER_SPACE)
          spaces.push(space)
          // What a space made through the API also has, and a tag update tags: the space's task
          // execution role and log group (the black-box probe only ever sees such spaces).
          const cluster = `bench-mixed-${tag}-${s}`
          await aws.logs.send(new CreateLogGroupCommand({ logGroupName: cluster }))
          await iam.send(new CreateRoleCommand({ RoleName: taskExecutionRoleName(cluster), AssumeRolePolicyDocument: ASSUME_ECS_TASKS }))
        }
      } finally {
        iam.destroy()
      }
      const secrets = await seedSecrets(aws, `bench-mixed-read-${tag}-`, 8)
      state = { spaces, secrets, createdSecrets: [], createdParams: [], tag }
    } finally {
      aws.destroy()
    }
    const api = await ctx.startApi(1, 'mixed')
    try {
      return await measure(ctx, api, state)
    } finally {
      ctx.proxy.replay = false
      ctx.proxy.replayOnly = undefined
      await api.stop()
    }
  },
}

const READS = /^(Describe|List|Get|BatchGet)/

async function measure(ctx: BenchContext, api: ApiProcess, state: MixState): Promise<Row[]> {
  ctx.proxy.replay = ctx.replay
  ctx.proxy.replayOnly = READS
  const ops = mixOps(state)
  const byRoute = new Map(ops.map((o) => [o.route, o]))
  const read = byRoute.get('GET /secrets/{secret}')!
  const log = (line: string): void => console.log(`[bench] mixed: ${line}`)

  // Warm-up, not measured: every route once, then the secrets and parameters for the deletes to take.
  for (const op of ops) {
    const req = op.make(1_000_000, 0)
    if (!req) continue
    const res = await send(ctx, api, req)
    if (res.error) throw new Error(`warm-up: ${res.error}`)
  }
  for (let k = 0; state.createdSecrets.length < BUFFER || state.createdParams.length < BUFFER; k++) {
    if (k > 3 * BUFFER) throw new Error('warm-up: the creates of secrets and parameters keep failing')
    if (state.createdSecrets.length < BUFFER) await send(ctx, api, byRoute.get('POST /secrets')!.make(2_000_000 + k, k)!)
    if (state.createdParams.length < BUFFER) await send(ctx, api, byRoute.get('POST /params/{prefix}')!.make(2_000_000 + k, k)!)
  }
  await ctx.proxy.idle()
  ctx.proxy.reset()

  const wheel = wheelOf(ops)
  const total = Math.round(ctx.mixedMinutes * 60 * RATE)
  const interval = 1000 / RATE
  const statuses = new Map<string, number>()
  const latencies = new Map<string, number[]>()
  const errors: string[] = []
  let fallbacks = 0
  let skipped = 0
  let inFlight = 0
  let maxInFlight = 0
  let maxLateMs = 0
  const pending = new Set<Promise<void>>()
  const samples: RssSample[] = []
  const peakReset = resetPeakRss(api.pid)
  const t0 = performance.now()
  const sample = (): void => {
    samples.push({ seconds: round((performance.now() - t0) / 1000, 1), rssMiB: round(api.memory().rssMiB, 1) })
  }
  sample()
  const sampler = setInterval(sample, SAMPLE_EVERY_MS)
  let lastMinute = 0
  const progress = setInterval(() => {
    const minute = Math.floor((performance.now() - t0) / 60_000)
    if (minute <= lastMinute) return
    lastMinute = minute
    const recent = samples.filter((s) => s.seconds > (minute - 1) * 60)
    log(
      `${minute} min: RSS ${samples[samples.length - 1]?.rssMiB} MiB (this minute ${Math.min(...recent.map((s) => s.rssMiB))} to ${Math.max(...recent.map((s) => s.rssMiB))}), ` +
        `${[...statuses.values()].reduce((a, b) => a + b, 0)} answered, ${inFlight} in flight, ${ctx.proxy.calls().length} AWS calls`,
    )
  }, 1000)

  const made = new Map<MixOp, number>()
  const nth = (op: MixOp): number => {
    const k = made.get(op) ?? 0
    made.set(op, k + 1)
    return k
  }
  const fire = (i: number): void => {
    maxLateMs = Math.max(maxLateMs, performance.now() - (t0 + i * interval))
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++
      return
    }
    let op = wheel[i % wheel.length]!
    let req = op.make(i, nth(op))
    if (!req) {
      // Nothing of ours left to delete (its creates are late): a read takes the slot.
      fallbacks++
      op = read
      req = read.make(i, nth(read))!
    }
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const p = send(ctx, api, req).then((res) => {
      inFlight--
      const key = `${op.route} ${res.status}`
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
      let list = latencies.get(op.route)
      if (!list) latencies.set(op.route, (list = []))
      list.push(res.ms)
      if (res.error && errors.length < 10) errors.push(res.error)
      pending.delete(p)
    })
    pending.add(p)
  }

  let sent = 0
  try {
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1)
        while (sent < due) fire(sent++)
        if (sent >= total) {
          clearInterval(timer)
          resolve()
        }
      }
      const timer = setInterval(tick, 2)
      tick()
    })
    const sendSeconds = (performance.now() - t0) / 1000
    await Promise.all([...pending])
    sample()
    await ctx.proxy.idle()
    const hwm = api.memory().hwmMiB
    const calls = ctx.proxy.calls()
    const awsMs = calls.map((c) => c.end - c.start)
    const byOperation = ctx.proxy.counts()
    const answered = [...statuses.values()].reduce((a, b) => a + b, 0)
    const rate = (answered + skipped) / sendSeconds

    const perRoute = await aloneCounts(ctx, api, ops, ctx.quick ? 3 : 10)
    return rows(ctx, {
      answered,
      rate,
      skipped,
      fallbacks,
      maxInFlight,
      maxLateMs,
      statuses,
      latencies,
      errors,
      samples,
      hwm,
      peakReset,
      calls: calls.length,
      awsMedianMs: median(awsMs),
      awsP95Ms: p95(awsMs),
      byOperation,
      perRoute,
      shares: new Map(ops.map((o) => [o.route, o.weight / wheel.length])),
    })
  } finally {
    clearInterval(sampler)
    clearInterval(progress)
  }
}

/** Each route alone, `n` times in a row on the warm process: its exact AWS calls per request. */
async function aloneCounts(ctx: BenchContext, api: ApiProcess, ops: readonly MixOp[], n: number): Promise<Map<string, Alone>> {
  const out = new Map<string, Alone>()
  let i = 3_000_000
  for (const op of ops) {
    await ctx.proxy.idle()
    ctx.proxy.reset()
    const walls: number[] = []
    for (let k = 0; k < n; k++) {
      const req = op.make(i++, k)
      if (!req) continue
      const res = await send(ctx, api, req)
      if (res.error) throw new Error(`calls by route: ${res.error}`)
      walls.push(res.ms)
      await ctx.proxy.idle()
    }
    const made = walls.length
    out.set(op.route, { perRequest: made > 0 ? ctx.proxy.calls().length / made : Number.NaN, byOperation: ctx.proxy.counts(), medianMs: median(walls) })
  }
  return out
}

interface Alone {
  perRequest: number
  byOperation: Record<string, number>
  /** Median wall time of the route alone. */
  medianMs: number
}

interface Measured {
  answered: number
  rate: number
  skipped: number
  fallbacks: number
  maxInFlight: number
  maxLateMs: number
  statuses: Map<string, number>
  latencies: Map<string, number[]>
  errors: string[]
  samples: RssSample[]
  hwm: number
  peakReset: boolean
  calls: number
  /** Duration of the AWS calls at the proxy (its added latency included): how fast moto kept up. */
  awsMedianMs: number
  awsP95Ms: number
  byOperation: Record<string, number>
  perRoute: Map<string, Alone>
  shares: Map<string, number>
}

function rows(ctx: BenchContext, m: Measured): Row[] {
  const minutes = ctx.mixedMinutes
  const bad = [...m.statuses].filter(([key]) => !/ 2\d\d$/.test(key)).reduce((n, [, c]) => n + c, 0)
  const byStatus = new Map<string, number>()
  for (const [key, count] of m.statuses) {
    const status = key.slice(key.lastIndexOf(' ') + 1)
    byStatus.set(status, (byStatus.get(status) ?? 0) + count)
  }
  const statusText = [...byStatus].sort().map(([s, c]) => `${s === '0' ? 'no answer' : s}: ${c}`).join(', ')
  // The value after the first minute: the first sample at or after 60 s (the last one in a shorter run).
  const firstMinute = m.samples.find((s) => s.seconds >= 60) ?? m.samples[m.samples.length - 1]!
  const peak = m.samples.reduce((a, s) => (s.rssMiB > a.rssMiB ? s : a), m.samples[0]!)
  const ratio = peak.rssMiB / firstMinute.rssMiB
  const perMinute: string[] = []
  for (let minute = 0; minute * 60 < (m.samples[m.samples.length - 1]?.seconds ?? 0); minute++) {
    const inMinute = m.samples.filter((s) => s.seconds >= minute * 60 && s.seconds < (minute + 1) * 60).map((s) => s.rssMiB)
    if (inMinute.length > 0) perMinute.push(`${Math.min(...inMinute)}-${Math.max(...inMinute)}`)
  }
  const perRequest = m.answered > 0 ? m.calls / m.answered : Number.NaN
  const weighted = [...m.perRoute].reduce((sum, [route, r]) => sum + (m.shares.get(route) ?? 0) * r.perRequest, 0)
  const label = `${minutes} min at ${RATE} req/s`
  const out: Row[] = [
    {
      label: `${label}: requests answered`,
      status: 'ok',
      unit: 'req/s',
      median: round(m.rate, 1),
      runs: m.answered,
      awsCalls: m.calls,
      target: 'all 2xx, none skipped',
      met: bad === 0 && m.skipped === 0,
      note:
        `${statusText}${m.skipped > 0 ? `; ${m.skipped} skipped (over ${MAX_IN_FLIGHT} in flight)` : ''}` +
        `${m.fallbacks > 0 ? `; ${m.fallbacks} deletes found nothing to delete (a read instead)` : ''}; at most ${m.maxInFlight} in flight, ` +
        `sent at most ${round(m.maxLateMs, 1)} ms late; +${ctx.proxy.latencyMs} ms per AWS call, ${ctx.replay ? 'repeated reads replayed' : 'no replay'}, ` +
        `AWS calls took median ${round(m.awsMedianMs, 1)} ms, p95 ${round(m.awsP95Ms, 1)} ms at the proxy` +
        (m.errors.length > 0 ? `; first error: ${m.errors[0]!.slice(0, 200)}` : ''),
      details: {
        statuses: Object.fromEntries(m.statuses),
        errors: m.errors,
        latencyMsByRoute: Object.fromEntries([...m.latencies].map(([route, l]) => [route, { n: l.length, median: round(median(l), 1), p95: round(p95(l), 1) }])),
        share: Object.fromEntries(m.shares),
      },
    },
    {
      label: `${label}: RSS after the first minute`,
      status: 'ok',
      unit: 'MiB',
      median: firstMinute.rssMiB,
      note: `at ${firstMinute.seconds} s; at the start ${m.samples[0]!.rssMiB} MiB`,
    },
    {
      label: `${label}: RSS peak`,
      status: 'ok',
      unit: 'MiB',
      median: peak.rssMiB,
      runs: m.samples.length,
      note: `at ${peak.seconds} s; sampled every ${SAMPLE_EVERY_MS / 1000} s; at the end ${m.samples[m.samples.length - 1]!.rssMiB}; VmHWM ${round(m.hwm, 1)}${m.peakReset ? '' : ' (since start)'}; min-max by minute: ${perMinute.join(' ')}`,
      details: { rssSamples: m.samples, hwmMiB: round(m.hwm, 1) },
    },
    {
      label: `${label}: RSS peak / after the first minute`,
      status: 'ok',
      unit: 'x',
      median: round(ratio, 2),
      ...atMost(ratio, PEAK_RATIO_TARGET, 'peak / first minute'),
    },
    {
      label: `${label}: AWS calls per API request`,
      status: 'ok',
      unit: 'calls/req',
      median: round(perRequest, 3),
      awsCalls: m.calls,
      ...atMost(perRequest, CALLS_PER_REQUEST_TARGET, 'calls / request'),
      note: `${m.calls} calls for ${m.answered} requests; the routes alone, weighted by their share of the mix: ${round(weighted, 3)}`,
      details: { byOperation: m.byOperation },
    },
  ]
  for (const [route, r] of m.perRoute) {
    const lat = m.latencies.get(route) ?? []
    out.push({
      label: `calls per request, ${route}`,
      status: Number.isFinite(r.perRequest) ? 'ok' : 'n/a',
      ...(Number.isFinite(r.perRequest) ? {} : { reason: 'no request could be made' }),
      unit: 'calls/req',
      median: round(r.perRequest, 2),
      note: `alone after the load (median ${round(r.medianMs, 1)} ms); ${round(100 * (m.shares.get(route) ?? 0), 1)}% of the mix; in the mix ${lat.length} requests, median ${round(median(lat), 1)} ms, p95 ${round(p95(lat), 1)} ms; ${Object.entries(r.byOperation).map(([op, c]) => `${op} ${c}`).join(', ')}`,
      details: { byOperation: r.byOperation },
    })
  }
  for (const [operation, count] of Object.entries(m.byOperation).sort(([, a], [, b]) => b - a)) {
    out.push({
      label: `calls per request, ${operation}`,
      status: 'ok',
      unit: 'calls/req',
      median: round(count / m.answered, 3),
      awsCalls: count,
      note: 'in the mix',
    })
  }
  return out
}

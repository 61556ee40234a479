/**
 * Figure 4, logs: 10,000 log events (about 1 MB) served through the service logs route, proxy at
 * 0 ms (replaying moto's answers unless --no-replay, so moto's Python does not dominate the time).
 * Reports the route's wall time against a direct GetLogEvents of the same events (the exact
 * GetLogEvents inputs the API sent, made from the bench process with the SDK, which parses the whole
 * answer as the API must), the time the API added on top of its AWS calls, and the peak RSS of the
 * API process while serving them (VmHWM, reset before each request) against the same process's idle
 * RSS before its first request. A fresh API process serves them, so the peak is not raised by what
 * earlier figures left on its heap.
 */
import { type ApiProcess, BENCH_ACCOUNT, resetPeakRss } from '../lib/api-process.js'
import type { CallRecord } from '../latency-proxy.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { median, p95, round } from '../lib/stats.js'
import { atMost } from '../lib/figure.js'
import { directClients } from '../lib/direct.js'
import { GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import { idleRss } from './memory.js'
import { SEED_CONTAINER, motoClients, seedLogEvents, seedServiceTask, seedSpace } from '../lib/seed.js'

const EVENTS = 10_000
const EVENT_BYTES = 100
const ROUTE = 'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/logs'

/**
 * Milliseconds during which at least one AWS call was in flight (the length of the union of the
 * calls' intervals). The request's wall time minus this is what the API itself added: parsing,
 * mapping and sending 1 MB, plus its own checks, but not the time it spent waiting for AWS.
 */
export function awsBusyMs(calls: readonly Pick<CallRecord, 'start' | 'end'>[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start)
  let busy = 0
  let curStart = Number.NaN
  let curEnd = Number.NEGATIVE_INFINITY
  for (const c of sorted) {
    if (c.start > curEnd) {
      if (Number.isFinite(curEnd)) busy += curEnd - curStart
      curStart = c.start
      curEnd = c.end
    } else {
      curEnd = Math.max(curEnd, c.end)
    }
  }
  if (Number.isFinite(curEnd)) busy += curEnd - curStart
  return busy
}

export const logsFigure: Figure = {
  id: 'logs',
  title: `Logs: ${EVENTS} events through the logs route`,
  target: 'API - direct GetLogEvents <= +20 ms (medians, proxy at 0 ms); peak RSS while serving <= idle + 30 MiB',
  async run(ctx: BenchContext): Promise<Row[]> {
    const [method, path] = ROUTE.split(' ') as [string, string]
    if (!hasRoute(await ctx.api(), method, path)) return [naRow(`${EVENTS} log events`, ROUTE)]
    const runs = ctx.quick ? 2 : 5
    const api = await ctx.startApi(1, 'logs')
    const savedLatency = ctx.proxy.latencyMs
    try {
      const idle = await idleRss(api)
      ctx.proxy.latencyMs = 0
      ctx.proxy.replay = ctx.replay
      return await measure(ctx, api, method, runs, idle)
    } finally {
      ctx.proxy.latencyMs = savedLatency
      ctx.proxy.replay = false
      ctx.proxy.captureBodies = false
      await api.stop()
    }
  },
}

const PEAK_OVER_IDLE_MIB = 30
const DIFF_TARGET_MS = 20

async function measure(ctx: BenchContext, api: ApiProcess, method: string, runs: number, idleMiB: number): Promise<Row[]> {
  // The stream a task of the service writes to: <awslogs-stream-prefix>/<container>/<task id>.
  const aws = motoClients(ctx.moto.endpoint)
  let url: string
  let bytes: number
  try {
    const space = await seedSpace(aws, ctx.vpc, 'bench-logs', 1)
    const service = space.services[0]!
    const task = await seedServiceTask(aws, ctx.vpc, space, service)
    bytes = await seedLogEvents(aws, space.cluster, `${space.family}/${SEED_CONTAINER}/${task}`, EVENTS, EVENT_BYTES)
    url = `/v1/ecs/${BENCH_ACCOUNT}/clusters/${space.cluster}/services/${service}/logs?task=${task}&container=${SEED_CONTAINER}&limit=${EVENTS}`
  } finally {
    aws.destroy()
  }

  const check = (run: TimedRun): void => {
    expectOk(run, 'logs')
    const events = (JSON.parse(run.body) as { Events?: unknown[] }).Events?.length ?? 0
    if (events !== EVENTS) throw new Error(`logs: the route answered ${events} events, ${EVENTS} expected`)
  }
  // The first request warms the API (and records moto's answers for replay); its GetLogEvents
  // inputs are what the direct call sends.
  ctx.proxy.captureBodies = true
  const first = await timedRequest(ctx, api, method, url)
  ctx.proxy.captureBodies = false
  check(first)
  const directInputs = first.calls
    .filter((c) => c.operation === 'GetLogEvents' && c.body !== undefined)
    .map((c) => JSON.parse(c.body!) as GetLogEventsCommandInput)
  if (directInputs.length === 0) throw new Error('logs: the route made no GetLogEvents call')
  const direct = directClients(ctx.awsEndpoint)
  const directOnce = async (): Promise<{ ms: number; events: number }> => {
    await ctx.proxy.idle()
    const started = performance.now()
    let events = 0
    for (const input of directInputs) events += (await direct.logs.send(new GetLogEventsCommand(input))).events?.length ?? 0
    return { ms: performance.now() - started, events }
  }
  const rssBefore = api.memory().rssMiB

  const measured: TimedRun[] = []
  const directMs: number[] = []
  const peaks: number[] = []
  let peakResets = true
  try {
    const warm = await directOnce()
    if (warm.events !== EVENTS) throw new Error(`logs: the direct GetLogEvents answered ${warm.events} events, ${EVENTS} expected`)
    // Alternating, so the machine's drifting load hits both alike.
    for (let i = 0; i < runs; i++) {
      peakResets = resetPeakRss(api.pid) && peakResets
      const run = await timedRequest(ctx, api, method, url)
      peaks.push(api.memory().hwmMiB)
      check(run)
      measured.push(run)
      directMs.push((await directOnce()).ms)
    }
  } finally {
    direct.destroy()
  }
  const added = measured.map((r) => r.wallMs - awsBusyMs(r.calls))
  const responseBytes = Buffer.byteLength(measured[0]!.body)
  const wall = summarise(
    `${EVENTS} events, wall time vs direct GetLogEvents`,
    measured,
    `${round(bytes / 1e6, 2)} MB of messages, ${round(responseBytes / 1e6, 2)} MB response; +0 ms per AWS call${ctx.proxy.replay ? ', replayed' : ''}; direct: ${directInputs.length} GetLogEvents`,
  )
  wall.direct = round(median(directMs), 1)
  Object.assign(wall, atMost(median(measured.map((r) => r.wallMs)) - median(directMs), DIFF_TARGET_MS, 'API - direct', 'ms'))
  wall.details = { ...wall.details, directMs: directMs.map((d) => round(d, 1)) }
  const peak = median(peaks)
  return [
    wall,
    {
      label: `${EVENTS} events, added to the AWS calls`,
      status: 'ok',
      unit: 'ms',
      median: round(median(added), 1),
      p95: round(p95(added), 1),
      runs: added.length,
      note: 'wall time minus the time an AWS call was in flight',
      details: { addedMs: added.map((a) => round(a, 1)) },
    },
    {
      label: `${EVENTS} events, peak RSS of the API (idle ${round(idleMiB, 1)})`,
      status: 'ok',
      unit: 'MiB',
      median: round(peak, 1),
      p95: round(p95(peaks), 1),
      runs: peaks.length,
      target: `<= idle + ${PEAK_OVER_IDLE_MIB} = ${round(idleMiB + PEAK_OVER_IDLE_MIB, 1)} MiB`,
      met: peak <= idleMiB + PEAK_OVER_IDLE_MIB,
      note: `${peakResets ? 'VmHWM, reset before each request' : 'VmHWM since the process started (the kernel refused a reset)'}; peak - idle ${round(peak - idleMiB, 1)} MiB; idle = this process before its first request; RSS after the warm-up request ${round(rssBefore, 1)} MiB`,
      details: { peakMiB: peaks.map((p) => round(p, 1)), idleMiB: round(idleMiB, 1), rssBeforeMiB: round(rssBefore, 1) },
    },
  ]
}

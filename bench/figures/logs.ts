/**
 * Figure 4, logs: 10,000 log events (about 1 MB) served through the service logs route. Reports the
 * wall time, the time the API added on top of its AWS calls, and the peak RSS of the API process
 * while serving them (VmHWM, reset before each request). A fresh API process serves them, so the
 * peak is not raised by what earlier figures left on its heap.
 */
import { type ApiProcess, BENCH_ACCOUNT, resetPeakRss } from '../lib/api-process.js'
import type { CallRecord } from '../latency-proxy.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { median, p95, round } from '../lib/stats.js'
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
  target: '< 40 ms added to the AWS call, peak RSS < 150 MB',
  async run(ctx: BenchContext): Promise<Row[]> {
    const [method, path] = ROUTE.split(' ') as [string, string]
    if (!hasRoute(await ctx.api(), method, path)) return [naRow(`${EVENTS} log events`, ROUTE)]
    const runs = ctx.quick ? 2 : 5
    const api = await ctx.startApi(1, 'logs')
    try {
      return await measure(ctx, api, method, runs)
    } finally {
      await api.stop()
    }
  },
}

async function measure(ctx: BenchContext, api: ApiProcess, method: string, runs: number): Promise<Row[]> {
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
  check(await timedRequest(ctx, api, method, url))
  const rssBefore = api.memory().rssMiB

  const measured: TimedRun[] = []
  const peaks: number[] = []
  let peakResets = true
  for (let i = 0; i < runs; i++) {
    peakResets = resetPeakRss(api.pid) && peakResets
    const run = await timedRequest(ctx, api, method, url)
    peaks.push(api.memory().hwmMiB)
    check(run)
    measured.push(run)
  }
  const added = measured.map((r) => r.wallMs - awsBusyMs(r.calls))
  const responseBytes = Buffer.byteLength(measured[0]!.body)
  return [
    summarise(`${EVENTS} events, wall time`, measured, `${round(bytes / 1e6, 2)} MB of messages, ${round(responseBytes / 1e6, 2)} MB response; +${ctx.proxy.latencyMs} ms per AWS call`),
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
      label: `${EVENTS} events, peak RSS of the API`,
      status: 'ok',
      unit: 'MiB',
      median: round(median(peaks), 1),
      p95: round(p95(peaks), 1),
      runs: peaks.length,
      note: `${peakResets ? 'VmHWM, reset before each request' : 'VmHWM since the process started (the kernel refused a reset)'}; RSS before ${round(rssBefore, 1)} MiB`,
      details: { peakMiB: peaks.map((p) => round(p, 1)), rssBeforeMiB: round(rssBefore, 1) },
    },
  ]
}

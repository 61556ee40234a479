import type { DefaultVpcResources, MotoServer } from '../../test/harness/moto.js'
import type { CallRecord, LatencyProxy } from '../latency-proxy.js'
import { countCalls, criticalPath, criticalPathLength } from '../latency-proxy.js'
import type { ApiProcess, Runtime } from './api-process.js'
import { median, p95, round } from './stats.js'

/** One line of the results table. */
export interface Row {
  label: string
  status: 'ok' | 'n/a' | 'error'
  /** Why a row is n/a or failed (e.g. `route not available`). */
  reason?: string
  unit?: string
  median?: number
  p95?: number
  /** Number of measured runs (requests, for the load figures). */
  runs?: number
  /** AWS calls per run (one number when every run made the same number, else `min-max`). */
  awsCalls?: number | string
  /** Critical path of the AWS calls per run (median), see criticalPathLength(). */
  criticalPath?: number
  /**
   * The same measurement made without the API: the same AWS call(s) sent straight to the proxy
   * with the AWS SDK from the bench process. The table shows `median` (the API's figure) minus and
   * over this one.
   */
  direct?: number
  /** The goal of this row, e.g. `API - direct <= 0.5 ms`, shown in the table's target column. */
  target?: string
  /** Whether this run met `target` (undefined: not checked). */
  met?: boolean
  /** Short free text for the table. */
  note?: string
  /** Anything else worth keeping in latest.json (call counts by operation, raw samples, ...). */
  details?: Record<string, unknown>
}

export interface FigureResult {
  id: string
  title: string
  target: string
  rows: Row[]
}

export interface BenchContext {
  moto: MotoServer
  proxy: LatencyProxy
  /** The proxy's endpoint, which every account of the bench config points at. */
  awsEndpoint: string
  vpc: DefaultVpcResources
  /** The plaintext token of the bench config. */
  token: string
  /** `X-Auth-Token`: a cost-10 bcrypt hash of the token, as the original clients send it. */
  authToken: string
  /** Latency of the orchestration and fan-out figures (`--latency`, default 50). */
  latencyMs: number
  runtime: Runtime
  logLevel: string
  /** `--quick`: fewer runs and requests, for trying the bench out. */
  quick: boolean
  /** Replay moto's answers in the load figures (see LatencyProxy.replay); off with `--no-replay`. */
  replay: boolean
  /** Length of the mixed-load figure (`--mixed-minutes`; 10, or 1 with `--quick`). */
  mixedMinutes: number
  /** The shared API process with one account (started on first use). */
  api(): Promise<ApiProcess>
  /** A separate API process (the caller stops it). */
  startApi(accounts: number, name: string, options?: { discoverRoutes?: boolean }): Promise<ApiProcess>
}

export interface Figure {
  id: string
  title: string
  /** The goal stated for this figure, shown next to the results. */
  target: string
  run(ctx: BenchContext): Promise<Row[]>
}

export const NA_ROUTE = 'route not available'

/** A row for a measurement whose route has not landed yet. */
export function naRow(label: string, route: string): Row {
  return { label, status: 'n/a', reason: `${NA_ROUTE} (${route})` }
}

/** True when the API documents `METHOD path` (path parameters in any spelling). */
export function hasRoute(api: ApiProcess, method: string, path: string): boolean {
  return api.routes.has(`${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`)
}

export interface TimedRun {
  /** `performance.now()` when the request was sent (the proxy's records use the same clock). */
  startedAt: number
  wallMs: number
  calls: readonly CallRecord[]
  status: number
  body: string
}

/** One request to the API, with the AWS calls the proxy saw while it ran. */
export async function timedRequest(
  ctx: BenchContext,
  api: ApiProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<TimedRun> {
  await ctx.proxy.idle()
  ctx.proxy.reset()
  const started = performance.now()
  const res = await fetch(api.origin + path, {
    method,
    headers: { 'x-auth-token': ctx.authToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  const wallMs = performance.now() - started
  // Calls the API started but did not wait for (background work) still count; give them a moment.
  await ctx.proxy.idle()
  return { startedAt: started, wallMs, calls: [...ctx.proxy.calls()], status: res.status, body: text }
}

function timeline(run: TimedRun | undefined): string[] {
  if (!run) return []
  const at = (t: number): number => round(t - run.startedAt, 1)
  return [...run.calls]
    .sort((a, b) => a.start - b.start)
    .map((c) => `${c.service}:${c.operation} ${at(c.start)}-${at(c.end)}`)
    .concat(`answer ${round(run.wallMs, 1)}`)
}

/** Summarises repeated runs of one request into a table row. */
export function summarise(label: string, runs: readonly TimedRun[], note?: string): Row {
  const walls = runs.map((r) => r.wallMs)
  const callCounts = runs.map((r) => r.calls.length)
  const paths = runs.map((r) => criticalPathLength(r.calls))
  const lo = Math.min(...callCounts)
  const hi = Math.max(...callCounts)
  return {
    label,
    status: 'ok',
    unit: 'ms',
    median: round(median(walls), 1),
    p95: round(p95(walls), 1),
    runs: runs.length,
    awsCalls: lo === hi ? lo : `${lo}-${hi}`,
    criticalPath: median(paths),
    ...(note ? { note } : {}),
    details: {
      wallMs: walls.map((w) => round(w, 1)),
      criticalPaths: paths,
      callsByOperation: countCalls(runs[runs.length - 1]?.calls ?? []),
      // One longest chain of the last run: where to look when the critical path is too long.
      criticalChain: criticalPath(runs[runs.length - 1]?.calls ?? []).map((c) => `${c.service}:${c.operation}`),
      // The last run's calls in the order they started, as `operation start-end` in ms from the
      // request's start: the gaps between them are where the API (or moto) spent its time.
      timeline: timeline(runs[runs.length - 1]),
    },
  }
}

/**
 * Row fields for a target of the form `value <op> limit`, e.g. `atMost(diff, 0.5, 'API - direct', 'ms')`
 * gives `{ target: 'API - direct <= 0.5 ms', met: diff <= 0.5 }`.
 */
export function atMost(value: number, limit: number, what: string, unit = ''): Pick<Row, 'target' | 'met'> {
  return { target: `${what} <= ${round(limit, 2)}${unit ? ` ${unit}` : ''}`, met: Number.isFinite(value) && value <= limit }
}

export function atLeast(value: number, limit: number, what: string, unit = ''): Pick<Row, 'target' | 'met'> {
  return { target: `${what} >= ${round(limit, 2)}${unit ? ` ${unit}` : ''}`, met: Number.isFinite(value) && value >= limit }
}

/** Fails with the API's answer when a setup or measured request did not succeed. */
export function expectOk(run: TimedRun, what: string): void {
  if (run.status < 200 || run.status > 299) {
    throw new Error(`${what}: HTTP ${run.status} ${run.body.slice(0, 600)}`)
  }
}

/**
 * `npm run bench [-- options]`: starts moto, a latency proxy in front of it and the API as a child
 * process pointed at the proxy, runs the figures, prints a table and writes
 * bench/results/latest.json. See bench/README.md for what each figure measures.
 *
 *   --only a,b        run only these figures (overhead, orchestration, fanout, logs, memory, preflight, diagnosis, mixed)
 *   --latency MS      latency the proxy adds to each AWS call (default 50; the overhead figure
 *                     always measures at 0 and at 50 ms)
 *   --runtime R       dist (default: compiled as in production, built first) or tsx (the sources)
 *   --quick           fewer runs and requests, to try the bench out
 *   --no-replay       the overhead figure's reads go to moto every time (see LatencyProxy.replay)
 *   --log-level L     the API's log level (default info, as in production)
 *   --mixed-minutes M length of the mixed-load figure (default 10; 1 with --quick)
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { hash } from '@node-rs/bcrypt'
import { ENSURE_MOTO_SCRIPT, MOTO_SERVER_BIN, REPO_ROOT, defaultVpcResources, startMoto, warmMoto } from '../test/harness/moto.js'
import { memoryFigure } from './figures/memory.js'
import { mixedFigure } from './figures/mixed.js'
import { fanoutFigure } from './figures/fanout.js'
import { logsFigure } from './figures/logs.js'
import { diagnosisFigure } from './figures/diagnosis.js'
import { orchestrationFigure } from './figures/orchestration.js'
import { overheadFigure } from './figures/overhead.js'
import { preflightFigure } from './figures/preflight.js'
import { LatencyProxy } from './latency-proxy.js'
import { type ApiProcess, BENCH_REGION, type Runtime, prepareRuntime, startApi } from './lib/api-process.js'
import type { BenchContext, Figure, FigureResult, Row } from './lib/figure.js'
import { round } from './lib/stats.js'

const FIGURES: Figure[] = [
  overheadFigure,
  orchestrationFigure,
  fanoutFigure,
  logsFigure,
  memoryFigure,
  preflightFigure,
  diagnosisFigure,
  mixedFigure,
]

// The AWS SDK warns once per client package that future releases need Node 22; on the pinned
// versions this is noise in the bench's output. Every other warning is still printed.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning' && !w.message.includes('NodeVersionSupportWarning')) console.error(w)
})

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    latency: { type: 'string', default: '50' },
    runtime: { type: 'string', default: 'dist' },
    quick: { type: 'boolean', default: false },
    'no-replay': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'mixed-minutes': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (opts.help) {
  console.log(`usage: npm run bench -- [--only ${FIGURES.map((f) => f.id).join(',')}] [--latency MS] [--runtime dist|tsx] [--quick] [--no-replay] [--log-level L] [--mixed-minutes M]`)
  process.exit(0)
}
const only = opts.only?.split(',').map((s) => s.trim()).filter(Boolean)
const unknown = only?.filter((id) => !FIGURES.some((f) => f.id === id)) ?? []
if (unknown.length > 0) {
  console.error(`unknown figure(s): ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}`)
  process.exit(2)
}
const latencyMs = Number(opts.latency)
if (!Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error(`--latency must be a number of ms >= 0, got ${opts.latency}`)
  process.exit(2)
}
if (opts.runtime !== 'dist' && opts.runtime !== 'tsx') {
  console.error(`--runtime must be dist or tsx, got ${opts.runtime}`)
  process.exit(2)
}
const runtime: Runtime = opts.runtime
const mixedMinutes = Number(opts['mixed-minutes'] ?? (opts.quick ? 1 : 10))
if (!Number.isFinite(mixedMinutes) || mixedMinutes <= 0) {
  console.error(`--mixed-minutes must be a number of minutes > 0, got ${opts['mixed-minutes']}`)
  process.exit(2)
}
const selected = FIGURES.filter((f) => !only || only.includes(f.id))

const log = (line: string): void => console.log(`[bench] ${line}`)
const startedAt = new Date()
const t0 = performance.now()

if (!existsSync(MOTO_SERVER_BIN)) {
  log('installing moto into .venv (scripts/ensure-moto.sh)')
  const res = spawnSync('bash', [ENSURE_MOTO_SCRIPT], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (res.status !== 0) throw new Error('scripts/ensure-moto.sh failed')
}
if (runtime === 'dist') log('building the API (tsc -p tsconfig.build.json)')
prepareRuntime(runtime)

log('starting moto')
const moto = await startMoto()
const results: FigureResult[] = []
let sharedApi: Promise<ApiProcess> | undefined
const extraApis = new Set<ApiProcess>()
const proxy = new LatencyProxy({ target: moto.endpoint, latencyMs })
try {
  await warmMoto(moto.endpoint, BENCH_REGION)
  const vpc = await defaultVpcResources(moto.endpoint, BENCH_REGION)
  const awsEndpoint = await proxy.start()
  const token = randomBytes(24).toString('hex')
  const ctx: BenchContext = {
    moto,
    proxy,
    awsEndpoint,
    vpc,
    token,
    authToken: await hash(token, 10),
    latencyMs,
    runtime,
    logLevel: opts['log-level'],
    quick: opts.quick,
    replay: !opts['no-replay'],
    mixedMinutes,
    api: () => (sharedApi ??= startApi({ runtime, endpoint: awsEndpoint, vpc, token, accounts: 1, logLevel: opts['log-level'], name: 'main' })),
    startApi: async (accounts, name, options) => {
      const api = await startApi({ runtime, endpoint: awsEndpoint, vpc, token, accounts, logLevel: opts['log-level'], name, ...options })
      extraApis.add(api)
      return {
        ...api,
        stop: () => {
          extraApis.delete(api)
          return api.stop()
        },
      }
    },
  }
  log(`moto ${moto.endpoint}, proxy ${awsEndpoint} (+${latencyMs} ms), API runtime ${runtime}`)

  for (const figure of selected) {
    const started = performance.now()
    log(`${figure.id}: ${figure.title}`)
    let rows: Row[]
    try {
      rows = await figure.run(ctx)
    } catch (err) {
      rows = [{ label: figure.id, status: 'error', reason: (err as Error).stack ?? String(err) }]
      console.error(`[bench] ${figure.id} failed: ${(err as Error).message}`)
    }
    ctx.proxy.latencyMs = latencyMs
    results.push({ id: figure.id, title: figure.title, target: figure.target, rows })
    log(`${figure.id}: done in ${round((performance.now() - started) / 1000, 1)} s`)
  }
} finally {
  for (const api of extraApis) await api.stop()
  if (sharedApi) await (await sharedApi.catch(() => undefined))?.stop()
  await proxy.stop()
  await moto.stop()
}

const totalSeconds = round((performance.now() - t0) / 1000, 1)
printTable(results)
const out = {
  startedAt: startedAt.toISOString(),
  totalSeconds,
  options: { only: only ?? null, latencyMs, runtime, quick: opts.quick, replay: !opts['no-replay'], logLevel: opts['log-level'], mixedMinutes },
  machine: machineInfo(),
  figures: results,
}
const resultsDir = join(REPO_ROOT, 'bench', 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(out, null, 2) + '\n')
log(`wrote bench/results/latest.json (${totalSeconds} s in all)`)
process.exit(results.some((f) => f.rows.some((r) => r.status === 'error')) ? 1 : 0)

function machineInfo(): Record<string, unknown> {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    } catch {
      return '?'
    }
  }
  return {
    cpu: cpus()[0]?.model ?? '?',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedChanges: git('status', '--porcelain').split('\n').filter(Boolean).length,
  }
}

function printTable(figures: readonly FigureResult[]): void {
  const header = ['figure', 'measurement', 'unit', 'API', 'direct', 'API - direct', 'API / direct', 'calls', 'crit.path', 'target', 'met?', 'note']
  const lines: string[][] = []
  const fmt = (v: number | string | undefined): string => (v === undefined ? '' : String(v))
  for (const f of figures) {
    for (const r of f.rows) {
      const problem = r.status === 'ok' ? '' : `${r.status}: ${(r.reason ?? '').split('\n')[0]!.slice(0, 110)}`
      const ok = r.status === 'ok' && r.median !== undefined
      const hasDirect = ok && r.direct !== undefined
      const diff = hasDirect ? round(r.median! - r.direct!, 2) : undefined
      const over = hasDirect && r.direct !== 0 ? `${round((100 * r.median!) / r.direct!, 1)}%` : undefined
      const extra = [r.p95 !== undefined ? `p95 ${r.p95}` : '', r.runs !== undefined ? `n=${r.runs}` : ''].filter(Boolean).join(' ')
      lines.push([
        f.id,
        r.label,
        fmt(r.unit),
        ok ? fmt(r.median) : 'n/a',
        hasDirect ? fmt(r.direct) : '',
        diff === undefined ? '' : `${diff > 0 ? '+' : ''}${diff}`,
        fmt(over),
        fmt(r.awsCalls),
        fmt(r.criticalPath),
        fmt(r.target),
        r.met === undefined || !ok ? '' : r.met ? 'yes' : 'NO',
        [problem, extra, r.note ?? ''].filter(Boolean).join('; '),
      ])
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (i === header.length - 1 ? 0 : l[i]!.length))))
  const row = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  console.log('')
  console.log(row(header))
  console.log(row(widths.map((w) => '-'.repeat(w))))
  for (const l of lines) console.log(row(l))
  console.log('')
  for (const f of figures) console.log(`  ${f.id}: ${f.title}; target ${f.target}`)
  const checked = figures.flatMap((f) => f.rows.filter((r) => r.status === 'ok' && r.met !== undefined))
  if (checked.length > 0) console.log(`\n  targets met: ${checked.filter((r) => r.met).length} of ${checked.length}`)
  const chains = figures.flatMap((f) =>
    f.rows.flatMap((r) => {
      const chain = r.details?.criticalChain
      return Array.isArray(chain) && chain.length > 0 ? [`  ${r.label}: ${chain.join(' -> ')}`] : []
    }),
  )
  if (chains.length > 0) console.log(['', 'critical paths (one longest chain of the last run):', ...chains].join('\n'))
  console.log('')
}

/**
 * The API under test, as a child process started the way it runs for real (its own Node process,
 * its own config file), so its memory is measured on its own and its event loop is not shared with
 * the load generator or the latency proxy.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, freePort } from '../../test/harness/moto.js'
import type { DefaultVpcResources } from '../../test/harness/moto.js'
import { sleep } from './stats.js'

/** `tsx`: the TypeScript sources through tsx (as `npm run dev`); `dist`: the compiled output (as in production). */
export type Runtime = 'tsx' | 'dist'

export const BENCH_ORG = 'bench'
/** Name of the first account; more accounts are `bench-001`, `bench-002`, ... */
export const BENCH_ACCOUNT = 'bench'
export const BENCH_REGION = 'us-east-1'
/** Working files of a run (configs, operation stores); .tmp/ is git-ignored. */
export const WORK_DIR = join(REPO_ROOT, '.tmp', 'bench')

export interface ProcMemory {
  /** Resident set size now, in MiB (VmRSS). */
  rssMiB: number
  /** Peak resident set size since start or since the last resetPeakRss(), in MiB (VmHWM). */
  hwmMiB: number
}

/** VmRSS and VmHWM of a process, from /proc/<pid>/status (Linux). */
export function readMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 }
}

/**
 * Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux >= 4.0), so the peak of
 * one figure is not the peak of whatever ran before it. False when the kernel refuses.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

export interface BenchConfigOptions {
  port: number
  /** AWS endpoint of every account (the latency proxy). */
  endpoint: string
  vpc: DefaultVpcResources
  token: string
  /** Number of configured accounts (>= 1). */
  accounts: number
  logLevel: string
  /** Distinguishes the operation store files of API processes started in one run. */
  name: string
}

/** Account names of a config with `count` accounts. */
export function accountNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? BENCH_ACCOUNT : `${BENCH_ACCOUNT}-${String(i).padStart(3, '0')}`))
}

/** Writes a bench config (every account pointing at the proxy) and returns its path. */
export function writeBenchConfig(options: BenchConfigOptions): string {
  mkdirSync(WORK_DIR, { recursive: true })
  const account = {
    region: BENCH_REGION,
    akid: 'testing',
    secret: 'testing',
    endpoint: options.endpoint,
    defaultSubnets: options.vpc.subnets.slice(0, 2),
    defaultSgs: options.vpc.securityGroups.slice(0, 1),
    defaultKmsKeyId: 'alias/aws/ssm',
  }
  const sqlitePath = join(WORK_DIR, `operations-${options.name}.sqlite`)
  for (const suffix of ['', '-wal', '-shm']) rmSync(sqlitePath + suffix, { force: true })
  const config = {
    listenAddress: `127.0.0.1:${options.port}`,
    org: BENCH_ORG,
    token: options.token,
    logLevel: options.logLevel,
    accounts: Object.fromEntries(accountNames(options.accounts).map((name) => [name, account])),
    operations: { sqlitePath },
  }
  const path = join(WORK_DIR, `config-${options.name}.json`)
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

const DIST_SERVER = join(REPO_ROOT, 'dist', 'src', 'server.js')

/**
 * The environment settings and Node flags of `npm start` (`NAME=value ... node --flag ...`: for
 * example the young-generation size and the malloc trim threshold that keep idle memory low), so
 * the bench measures the process as operators run it.
 */
function startScript(): { env: Record<string, string>; nodeFlags: string[] } {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } }
  const words = (pkg.scripts?.start ?? '').split(/\s+/).filter(Boolean)
  const env: Record<string, string> = {}
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=')
    env[name!] = value.join('=')
  }
  return { env, nodeFlags: words[0] === 'node' ? words.slice(1).filter((w) => w.startsWith('--')) : [] }
}

/**
 * For the `dist` runtime: compiles the sources the way `npm run build` does. Type errors (someone's
 * work in progress) do not stop the emit, so they are reported and the bench goes on.
 */
export function prepareRuntime(runtime: Runtime): void {
  if (runtime !== 'dist') return
  const tsc = join(REPO_ROOT, 'node_modules', '.bin', 'tsc')
  const res = spawnSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (res.status !== 0) {
    console.error(`warning: tsc -p tsconfig.build.json exited ${String(res.status)}; running whatever it emitted\n${(res.stdout + res.stderr).slice(0, 2000)}`)
  }
  if (!existsSync(DIST_SERVER)) throw new Error(`${DIST_SERVER} was not built`)
}

export interface ApiProcess {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string
  pid: number
  /** `METHOD /v1/ecs/...` of every documented route, path parameters written `{}`. */
  routes: ReadonlySet<string>
  memory(): ProcMemory
  /** The tail of its log and error output, for error messages. */
  output(): string
  stop(): Promise<void>
}

export interface StartApiOptions extends Omit<BenchConfigOptions, 'port'> {
  runtime: Runtime
  /**
   * Reads the routes from the OpenAPI document once started (default). Off for the idle-memory
   * processes: building the document loads the SDK packages and schemas a fresh process does not have.
   */
  discoverRoutes?: boolean
}

/** Normalises an OpenAPI path or a route template for comparison: every `{param}` becomes `{}`. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`
}

/** Starts the API on a free loopback port with a fresh bench config; resolves once it answers. */
export async function startApi(options: StartApiOptions): Promise<ApiProcess> {
  const port = await freePort()
  const configPath = writeBenchConfig({ ...options, port })
  const start = startScript()
  const args =
    options.runtime === 'dist'
      ? [...start.nodeFlags, DIST_SERVER, '--config', configPath]
      : [...start.nodeFlags, '--import', 'tsx', join(REPO_ROOT, 'src', 'server.ts'), '--config', configPath]
  // The log goes to a file, as a log shipper would take it: a pipe that the busy bench process
  // drained late would block the API's synchronous log writes and show up as API latency.
  const logPath = join(WORK_DIR, `api-${options.name}.log`)
  const logFd = openSync(logPath, 'w')
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...start.env }, stdio: ['ignore', logFd, 'pipe'] })
  closeSync(logFd)
  const pid = child.pid
  if (pid === undefined) throw new Error('could not spawn the API')
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096)
  })
  const output = (): string => `${fileTail(logPath, 4096)}${stderrTail}`
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const killOnExit = (): void => void child.kill('SIGKILL')
  process.once('exit', killOnExit)

  const origin = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit)
    if (!exited) {
      child.kill('SIGTERM')
      const gone = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)])
      if (!gone) child.kill('SIGKILL')
      await exit
    }
  }

  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`the API exited during start-up:\n${output()}`)
    try {
      const res = await fetch(`${origin}/v1/ecs/ping`)
      await res.arrayBuffer()
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the API did not answer within 60 s:\n${output()}`)
    }
    await sleep(100)
  }

  const routes = new Set<string>()
  if (options.discoverRoutes !== false) {
    const doc = (await (await fetch(`${origin}/v1/ecs/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item)) routes.add(routeKey(method, path))
    }
  }

  return { origin, pid, routes, memory: () => readMemory(pid), output, stop }
}

function fileTail(path: string, bytes: number): string {
  try {
    const size = statSync(path).size
    const fd = openSync(path, 'r')
    try {
      const buf = Buffer.alloc(Math.min(bytes, size))
      readSync(fd, buf, 0, buf.length, size - buf.length)
      return buf.toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return ''
  }
}

/**
 * moto test harness: start/stop a loopback moto server, warm it up, reset it between tests, and
 * small helpers around moto's own API (`/moto-api/...`) and its default VPC.
 *
 * No test-framework imports here: this module is used from vitest's globalSetup (main process)
 * as well as from test files (workers). See /work/shared/spec/test-backends.md for the moto facts.
 */
import { spawn } from 'node:child_process'
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs'
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam'
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api'
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery'
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { ListScheduleGroupsCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
// Transitive dependencies of the AWS SDK (hoisted, resolvable); used in test code only.
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types'

import { matchOutput } from './output.js'

/** Pinned moto version; keep in sync with scripts/ensure-moto.sh. */
export const MOTO_VERSION = '5.2.5'
/**
 * Every pinned package of the moto server, by its dist-info name (lowercase, `_` for `-`);
 * keep in sync with scripts/ensure-moto.sh.
 */
export const MOTO_SERVER_PACKAGES: Readonly<Record<string, string>> = {
  moto: MOTO_VERSION,
  flask: '3.1.3',
  flask_cors: '6.0.5',
  werkzeug: '3.1.9',
}

/** Repository root (two levels above test/harness/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const MOTO_SERVER_BIN = fileURLToPath(new URL('../../.venv/bin/moto_server', import.meta.url))
export const MOTO_PYTHON_BIN = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url))
export const ENSURE_MOTO_SCRIPT = fileURLToPath(new URL('../../scripts/ensure-moto.sh', import.meta.url))

/** Region used by the harness and, by convention, by tests. */
export const MOTO_REGION = 'us-east-1'
/** The account moto uses for any non-assumed credentials. */
export const MOTO_DEFAULT_ACCOUNT = '123456789012'
/**
 * Static fake credentials: moto accepts any non-empty key pair and checks no signature.
 * Not frozen: the SDK annotates the credentials object it is given (`$source`), so
 * motoClientConfig() hands each client its own copy.
 */
export const MOTO_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
}

export interface MotoServer {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash) */
  endpoint: string
  port: number
  pid: number
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>
}

export interface StartMotoOptions {
  /**
   * Extra environment for the server process, e.g. `{ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }`
   * (off by default: it makes each reset ~0.6 s) or `{ MOTO_ECS_SERVICE_RUNNING: '2' }`.
   * `MOTO_ACCOUNT_ID` is refused: it overrides AssumeRole account switching.
   */
  env?: Record<string, string>
  /** Readiness timeout in ms (default 30 000). */
  readyTimeoutMs?: number
}

/** moto state-manager transition (see moto docs: configuration/state_transition). */
export type MotoTransition =
  | { progression: 'manual'; times: number }
  | { progression: 'immediate' }
  | { progression: 'time'; seconds: number }

/** AWS SDK v3 client config pointing at moto. Spread it into any `new XxxClient(...)`. */
export function motoClientConfig(
  endpoint: string,
  credentials: AwsCredentialIdentity = MOTO_CREDENTIALS,
  region: string = MOTO_REGION,
): { endpoint: string; region: string; credentials: AwsCredentialIdentity } {
  return { endpoint, region, credentials: { ...credentials } }
}

// ---------------------------------------------------------------------------------------------
// start / stop
// ---------------------------------------------------------------------------------------------

const STDERR_TAIL_BYTES = 8 * 1024
const READY_PATH = '/moto-api/data.json'

/** Servers started by this process, killed synchronously if the process exits without stop(). */
const livePids = new Set<number>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
}

/**
 * Asks the OS for a free TCP port on 127.0.0.1 (bind port 0, read it, close). The port is free
 * only at that moment: another process may take it before the caller binds it. Servers the tests
 * start bind port 0 and report their port instead; a caller that cannot do that must retry on
 * EADDRINUSE with a fresh port.
 */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      if (addr === null || typeof addr === 'string') {
        srv.close()
        reject(new Error('could not determine a free port'))
        return
      }
      const { port } = addr
      srv.close((err) => (err ? reject(err) : resolve(port)))
    })
  })
}

/**
 * Linux: the server asks the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG), so even
 * a SIGKILLed test runner leaves no orphan. It then exec()s moto_server, keeping the same PID.
 * Where prctl is unavailable it just exec()s.
 */
const LAUNCHER = `
import os, sys
ppid = int(sys.argv[1])
try:
    import ctypes, signal
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
except Exception:
    pass
if os.getppid() != ppid:
    sys.exit(1)  # parent already gone
os.execv(sys.argv[2], sys.argv[2:])
`

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Werkzeug's start-up line, printed once the socket is bound; with `-p 0` it names the port the
 * OS gave (`* Running on http://127.0.0.1:40123`).
 */
const MOTO_LISTENING = /Running on http:\/\/127\.0\.0\.1:(\d+)/

/** Starts `.venv/bin/moto_server -H 127.0.0.1 -p 0`, reads the port it bound and waits until it answers. */
export async function startMoto(opts: StartMotoOptions = {}): Promise<MotoServer> {
  if (!existsSync(MOTO_SERVER_BIN)) {
    throw new Error(`${MOTO_SERVER_BIN} not found; run: bash scripts/ensure-moto.sh`)
  }
  if (opts.env && 'MOTO_ACCOUNT_ID' in opts.env) {
    throw new Error('startMoto: MOTO_ACCOUNT_ID is not allowed (it overrides AssumeRole account switching)')
  }
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Never inherit these: MOTO_ACCOUNT_ID breaks AssumeRole tests, managed policies make reset slow.
  delete env.MOTO_ACCOUNT_ID
  delete env.MOTO_IAM_LOAD_MANAGED_POLICIES
  Object.assign(env, opts.env ?? {}, { PYTHONUNBUFFERED: '1' })

  const args = ['-c', LAUNCHER, String(process.pid), MOTO_SERVER_BIN, '-H', '127.0.0.1', '-p', '0']
  const child = spawn(existsSync(MOTO_PYTHON_BIN) ? MOTO_PYTHON_BIN : 'python3', args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  // Keep draining both pipes (moto logs every request to stderr; a full pipe would block it)
  // and remember the tail for error messages.
  let tail = ''
  const collect = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const listening = matchOutput(child, MOTO_LISTENING, 'moto_server start-up', opts.readyTimeoutMs ?? 30_000)
  // Handled where it is awaited; this keeps an early rejection from counting as unhandled.
  listening.catch(() => undefined)

  let exited = false
  let exitInfo = ''
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true
      exitInfo = signal ? `signal ${signal}` : `code ${String(code)}`
      if (child.pid !== undefined) livePids.delete(child.pid)
      resolve()
    })
  })
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))

  // The child must not keep the parent alive.
  child.unref()
  ;(child.stdout as unknown as { unref?: () => void }).unref?.()
  ;(child.stderr as unknown as { unref?: () => void }).unref?.()

  const pid = child.pid
  if (pid === undefined) {
    throw new Error(`failed to spawn moto_server: ${(await spawnError).message}`)
  }
  livePids.add(pid)
  installExitHook()

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited) {
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          // already gone
        }
        const killed = await Promise.race([exitPromise.then(() => true), sleep(3000).then(() => false)])
        if (!killed) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // already gone
          }
          await exitPromise
        }
      }
      livePids.delete(pid)
      child.stdout.destroy()
      child.stderr.destroy()
    })()
    return stopping
  }

  const timeoutMs = opts.readyTimeoutMs ?? 30_000
  const deadline = Date.now() + timeoutMs
  let port: number
  try {
    port = Number((await listening)[1])
  } catch (err) {
    await stop()
    throw err
  }
  const endpoint = `http://127.0.0.1:${port}`
  for (;;) {
    if (exited) {
      await stop()
      throw new Error(`moto_server exited during start-up (${exitInfo}). Output tail:\n${tail}`)
    }
    try {
      const res = await fetch(endpoint + READY_PATH, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`moto_server on ${endpoint} not ready after ${timeoutMs} ms. Output tail:\n${tail}`)
    }
    await sleep(100)
  }

  return { endpoint, port, pid, stop }
}

// ---------------------------------------------------------------------------------------------
// moto-api helpers
// ---------------------------------------------------------------------------------------------

async function motoApiPost(endpoint: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(endpoint + path, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  const text = await res.text()
  if (!res.ok) {
    throw new Error(`moto POST ${path} failed: HTTP ${res.status} ${text.slice(0, 500)}`)
  }
}

/**
 * Wipes every backend of every account (`POST /moto-api/reset`) and clears the `ecs::task`
 * state-manager transition, which reset leaves in place.
 */
export async function resetMoto(endpoint: string): Promise<void> {
  await motoApiPost(endpoint, '/moto-api/reset')
  await unsetTransition(endpoint, 'ecs::task')
}

/**
 * Sets moto's state-manager transition for ECS tasks. `{ progression: 'manual', times: 1000 }`
 * keeps tasks RUNNING for 1000 DescribeTasks calls (default is manual, times 1: one step per call).
 */
export async function setTaskTransition(endpoint: string, transition: MotoTransition): Promise<void> {
  await setTransition(endpoint, 'ecs::task', transition)
}

/** Sets a state-manager transition for any moto model (e.g. `ecs::task`). */
export async function setTransition(endpoint: string, modelName: string, transition: MotoTransition): Promise<void> {
  await motoApiPost(endpoint, '/moto-api/state-manager/set-transition', { model_name: modelName, transition })
}

/** Removes a custom state-manager transition (idempotent). */
export async function unsetTransition(endpoint: string, modelName: string): Promise<void> {
  await motoApiPost(endpoint, '/moto-api/state-manager/unset-transition', { model_name: modelName })
}

// ---------------------------------------------------------------------------------------------
// raw EC2 Query API (no EC2 SDK client is installed)
// ---------------------------------------------------------------------------------------------

/** node:crypto SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac
  constructor(private readonly secret?: SourceData) {
    this.hash = NodeSha256.make(secret)
  }
  private static make(secret?: SourceData): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret))
  }
  update(data: Uint8Array): void {
    this.hash.update(data)
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
  reset(): void {
    this.hash = NodeSha256.make(this.secret)
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}

/** One SigV4-signed EC2 Query API call against moto; returns the XML body. */
export async function ec2Query(
  endpoint: string,
  region: string,
  params: Record<string, string>,
  credentials: AwsCredentialIdentity = MOTO_CREDENTIALS,
): Promise<string> {
  const url = new URL(endpoint)
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString()
  const signer = new SignatureV4({ service: 'ec2', region, credentials, sha256: NodeSha256 })
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body,
  })
  const res = await fetch(`${url.origin}/`, { method: 'POST', headers: signed.headers, body })
  const text = await res.text()
  if (!res.ok) {
    throw new Error(`EC2 ${params.Action ?? '?'} failed: HTTP ${res.status} ${text.slice(0, 500)}`)
  }
  return text
}

function xmlValues(xml: string, tag: string): string[] {
  const out = new Set<string>()
  for (const m of xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))) {
    if (m[1] !== undefined) out.add(m[1])
  }
  return [...out]
}

export interface DefaultVpcResources {
  vpcId: string
  subnets: string[]
  securityGroups: string[]
}

/**
 * Subnets and security groups of moto's default VPC in `region` (for awsvpc networkConfiguration,
 * ELBv2 load balancers, ...). Pass assumed credentials to get another account's default VPC.
 */
export async function defaultVpcResources(
  endpoint: string,
  region: string = MOTO_REGION,
  credentials: AwsCredentialIdentity = MOTO_CREDENTIALS,
): Promise<DefaultVpcResources> {
  const vpcsXml = await ec2Query(
    endpoint,
    region,
    { Action: 'DescribeVpcs', 'Filter.1.Name': 'is-default', 'Filter.1.Value.1': 'true' },
    credentials,
  )
  const vpcId = xmlValues(vpcsXml, 'vpcId')[0]
  if (vpcId === undefined) throw new Error(`moto has no default VPC in ${region}`)
  const byVpc = { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId }
  const [subnetsXml, groupsXml] = await Promise.all([
    ec2Query(endpoint, region, { Action: 'DescribeSubnets', ...byVpc }, credentials),
    ec2Query(endpoint, region, { Action: 'DescribeSecurityGroups', ...byVpc }, credentials),
  ])
  // groupId also appears inside ipPermissions (self-references); xmlValues de-duplicates.
  return { vpcId, subnets: xmlValues(subnetsXml, 'subnetId'), securityGroups: xmlValues(groupsXml, 'groupId') }
}

// ---------------------------------------------------------------------------------------------
// warm-up
// ---------------------------------------------------------------------------------------------

/**
 * One cheap call per service so the lazily loaded moto backends (EC2 ≈ 1-2 s, ECS, ...) are
 * imported before the first test. Calls run one after another: backends load lazily and a
 * sequential warm-up avoids racing the first loads.
 */
export async function warmMoto(endpoint: string, region: string = MOTO_REGION): Promise<void> {
  const cfg = motoClientConfig(endpoint, MOTO_CREDENTIALS, region)
  const steps: [string, () => Promise<unknown>][] = [
    ['EC2', () => defaultVpcResources(endpoint, region)],
    ['ECS', () => withClient(new ECSClient(cfg), (c) => c.send(new ListClustersCommand({})))],
    ['IAM', () => withClient(new IAMClient(cfg), (c) => c.send(new ListRolesCommand({})))],
    ['Logs', () => withClient(new CloudWatchLogsClient(cfg), (c) => c.send(new DescribeLogGroupsCommand({})))],
    ['SSM', () => withClient(new SSMClient(cfg), (c) => c.send(new DescribeParametersCommand({})))],
    ['SecretsManager', () => withClient(new SecretsManagerClient(cfg), (c) => c.send(new ListSecretsCommand({})))],
    ['CloudMap', () => withClient(new ServiceDiscoveryClient(cfg), (c) => c.send(new ListNamespacesCommand({})))],
    [
      'ELBv2',
      () => withClient(new ElasticLoadBalancingV2Client(cfg), (c) => c.send(new DescribeLoadBalancersCommand({}))),
    ],
    ['STS', () => withClient(new STSClient(cfg), (c) => c.send(new GetCallerIdentityCommand({})))],
    [
      'Tagging',
      () => withClient(new ResourceGroupsTaggingAPIClient(cfg), (c) => c.send(new GetResourcesCommand({}))),
    ],
    ['Scheduler', () => withClient(new SchedulerClient(cfg), (c) => c.send(new ListScheduleGroupsCommand({})))],
  ]
  for (const [name, run] of steps) {
    try {
      await run()
    } catch (err) {
      throw new Error(`warmMoto: ${name} call failed: ${(err as Error).message}`, { cause: err })
    }
  }
}

async function withClient<C extends { destroy(): void }, T>(client: C, fn: (c: C) => Promise<T>): Promise<T> {
  try {
    return await fn(client)
  } finally {
    client.destroy()
  }
}

/**
 * Starts `src/server.ts` as its own process, as an operator would, with the test operation kinds
 * preloaded, so tests can SIGKILL or SIGTERM it in the middle of an operation.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPO_ROOT } from '../harness/index.js'
import { API_LISTENING, matchOutput } from '../harness/output.js'
import type { OperationView } from '../../src/operations/index.js'

const REGISTER_TEST_KINDS = fileURLToPath(new URL('./fixtures/register-test-kinds.ts', import.meta.url))
export const SERVER_TOKEN = 'a-token-for-the-operations-tests'

export interface ServerProcess {
  readonly pid: number
  readonly child: ChildProcess
  /** `http://127.0.0.1:PORT/v1/ecs` */
  readonly base: string
  output(): string
  /** Resolves once the output contains `text` (at once when it already does); rejects if the process exits first. */
  untilOutput(text: string): Promise<void>
  /** GET an operation of account `main` through this server. */
  operation(id: string): Promise<OperationView>
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>
}

const running = new Set<ChildProcess>()

/** SIGKILLs every server a test left running. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** A config for a server process: account `main` (its AWS endpoint is never called by the test kinds). */
export function serverConfig(dir: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    org: 'testorg',
    token: SERVER_TOKEN,
    logLevel: 'info',
    accounts: { main: { region: 'us-east-1', akid: 'x', secret: 'y', endpoint: 'http://127.0.0.1:9' } },
    operations: { sqlitePath: join(dir, 'operations.sqlite') },
    ...extra,
  }
}

/**
 * Starts the server on 127.0.0.1 and port 0 (the OS picks a free one as it binds, so no other
 * process can take it first) and reads the port from its "Server listening" log line.
 */
export async function startServer(dir: string, config: Record<string, unknown>, name: string): Promise<ServerProcess> {
  const path = join(dir, `${name}.json`)
  writeFileSync(path, JSON.stringify({ ...config, logLevel: 'info', listenAddress: '127.0.0.1:0' }))
  // The test runner's own ECS_API_* settings must not leak into the server.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ECS_API_')))
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', REGISTER_TEST_KINDS, 'src/server.ts', '--config', path], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  void exited.then(() => running.delete(child))
  const listening = matchOutput(child, API_LISTENING, `server ${name} start-up`)
  let output = ''
  const waiters = new Set<{ text: string; resolve: () => void }>()
  const collect = (c: Buffer): void => {
    output += c.toString()
    for (const waiter of waiters) {
      if (output.includes(waiter.text)) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const untilOutput = (text: string): Promise<void> => {
    if (output.includes(text)) return Promise.resolve()
    const seen = new Promise<void>((resolve) => waiters.add({ text, resolve }))
    const gone = exited.then(() => {
      throw new Error(`server ${name} exited before writing ${JSON.stringify(text)}:\n${output}`)
    })
    return Promise.race([seen, gone])
  }

  const port = Number((await listening)[1])
  const base = `http://127.0.0.1:${port}/v1/ecs`
  const headers = { authorization: `Bearer ${SERVER_TOKEN}` }
  const ping = await fetch(`${base}/ping`)
  if (!ping.ok) throw new Error(`server ${name} answers ping with ${ping.status}:\n${output}`)

  return {
    pid: child.pid!,
    child,
    base,
    output: () => output,
    untilOutput,
    operation: async (id) => {
      const res = await fetch(`${base}/main/operations/${id}`, { headers })
      if (!res.ok) throw new Error(`GET operation ${id}: ${res.status} ${await res.text()}`)
      return (await res.json()) as OperationView
    },
    stop: async (signal) => {
      child.kill(signal)
      const [code] = await exited
      return code
    },
  }
}

/**
 * A throwaway Redis for tests: Debian's `redis-server` on 127.0.0.1 and a free port (started again
 * on a fresh one when the port was taken meanwhile), no persistence, stopped by PID. Start one per
 * test file (`beforeAll`) with `startRedis()`.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './moto.js'

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string
  port: number
  pid: number
  /** Deletes every key (between tests). */
  flush(): Promise<void>
  /** SIGTERM, SIGKILL after 3 s; resolves once the process is gone. Idempotent. */
  stop(): Promise<void>
}

const live = new Set<number>()
let exitHookInstalled = false
function killLeftovers(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/**
 * Sends one command in Redis's inline protocol and reads the reply until `parse` finds its answer
 * in what arrived so far (undefined: keep reading). An error reply rejects.
 */
async function exchange<T>(port: number, line: string, parse: (data: string) => T | undefined, timeoutMs = 1_000): Promise<T> {
  return await new Promise<T>((resolve, reject) => {
    const socket = new Socket()
    let data = ''
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')))
    socket.once('error', reject)
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString()
      const answer = parse(data)
      if (answer !== undefined) {
        socket.end()
        resolve(answer)
      } else if (data.startsWith('-') && data.includes('\r\n')) {
        socket.destroy(new Error(data.trim()))
      }
    })
    socket.connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`))
  })
}

/** One command; answers the first reply line. */
async function command(port: number, line: string, timeoutMs = 1_000): Promise<string> {
  return exchange(port, line, (data) => (data.includes('\r\n') ? data.split('\r\n', 1)[0] : undefined), timeoutMs)
}

/** The `process_id` of the Redis server on `port` (from `INFO server`). */
async function serverPid(port: number, timeoutMs = 1_000): Promise<number> {
  return exchange(port, 'INFO server', (data) => {
    const m = /\r\nprocess_id:(\d+)\r\n/.exec(data)
    return m ? Number(m[1]) : undefined
  }, timeoutMs)
}

/** redis-server's last words when its port was taken between freePort() and its bind. */
const ADDRESS_IN_USE = /Address already in use/
const START_ATTEMPTS = 5
/** Back-off before starting again on a given port that was taken: 250 ms, doubling. */
const SAME_PORT_BACKOFF_MS = 250

/**
 * Starts `redis-server` on `port`, or on a free one, and waits until it answers.
 * redis-server cannot bind port 0 and report its port (`--port 0` turns TCP off), so a free port
 * is picked first; when another process takes it before redis-server binds it, redis-server exits
 * with "Address already in use" and is started again on a fresh port.
 *
 * A given `port` (a Redis started again where an earlier one of the test ran) is kept: when it is
 * taken, most often for a moment by another process's connection or port probe, redis-server is
 * started again on the same port after a back-off, up to the same number of attempts.
 */
export async function startRedis(port?: number): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const started = await startRedisOn(port ?? (await freePort()))
    if (started.ok) return started.server
    if (attempt >= START_ATTEMPTS || !ADDRESS_IN_USE.test(started.output)) {
      throw new Error(`redis-server exited at start after ${attempt} attempt(s):\n${started.output}`)
    }
    if (port !== undefined) await sleep(SAME_PORT_BACKOFF_MS * 2 ** (attempt - 1))
  }
}

async function startRedisOn(p: number): Promise<{ ok: true; server: RedisServer } | { ok: false; output: string }> {
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // 'close' comes after 'exit', once the pipes are drained: the whole output is in then.
  const closed = once(child, 'close')
  if (child.pid === undefined) throw new Error(`could not start redis-server: ${(await spawnError).message}`)
  const pid = child.pid
  live.add(pid)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', killLeftovers)
  }

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const gone = await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)])
        if (!gone) {
          child.kill('SIGKILL')
          await exited
        }
      }
      live.delete(pid)
    })())

  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await closed
      live.delete(pid)
      return { ok: false, output }
    }
    try {
      // The pid tells this server from another Redis that holds the port (this one then exits).
      if ((await serverPid(p)) === pid) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`redis-server on port ${p} not ready after 10 s:\n${output}`)
    }
    await sleep(25)
  }

  return {
    ok: true,
    server: {
      url: `redis://127.0.0.1:${p}`,
      port: p,
      pid,
      flush: async () => {
        const reply = await command(p, 'FLUSHALL')
        if (reply !== '+OK') throw new Error(`FLUSHALL answered ${reply}`)
      },
      stop,
    },
  }
}

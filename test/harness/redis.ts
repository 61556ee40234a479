/**
 * A throwaway Redis for tests: Debian's `redis-server` on 127.0.0.1 and a free port, no
 * persistence, stopped by PID. Start one per test file (`beforeAll`) with `startRedis()`.
 */
import { spawn } from 'node:child_process'
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

/** One command in Redis's inline protocol; answers the first reply line. */
async function command(port: number, line: string, timeoutMs = 1_000): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const socket = new Socket()
    let data = ''
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')))
    socket.once('error', reject)
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString()
      if (data.includes('\r\n')) {
        socket.end()
        resolve(data.split('\r\n', 1)[0]!)
      }
    })
    socket.connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`))
  })
}

/** Starts `redis-server` (on `port`, or a free one) and waits until it answers PING. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort())
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
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
    if (child.exitCode !== null) throw new Error(`redis-server exited at start:\n${output}`)
    try {
      if ((await command(p, 'PING')) === '+PONG') break
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
    url: `redis://127.0.0.1:${p}`,
    port: p,
    pid,
    flush: async () => {
      const reply = await command(p, 'FLUSHALL')
      if (reply !== '+OK') throw new Error(`FLUSHALL answered ${reply}`)
    },
    stop,
  }
}

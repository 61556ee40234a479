import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { API_LISTENING, matchOutput } from './harness/output.js'

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')

/**
 * Starts `src/server.ts` as its own process, as an operator would, on 127.0.0.1 and port 0 (the OS
 * picks a free port as it binds), and reads the port from its "Server listening" log line.
 */
async function startServer(config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-api-server-'))
  const path = join(dir, 'config.json')
  writeFileSync(
    path,
    JSON.stringify({ ...config, listenAddress: '127.0.0.1:0', operations: { sqlitePath: join(dir, 'operations.sqlite') } }),
  )
  const child = spawn(process.execPath, [tsxCli, 'src/server.ts', '-config', path], { stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const listening = matchOutput(child, API_LISTENING, 'server start-up')
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const base = `http://127.0.0.1:${(await listening)[1]}/v1/ecs`
  return { child, base, output: () => output }
}

const config = {
  org: 'o',
  token: 'a-token-for-the-server-test',
  logLevel: 'info',
  accounts: { a: { region: 'us-east-1', akid: 'x', secret: 'y', endpoint: 'http://127.0.0.1:9' } },
}

describe('server process', () => {
  it('serves with the original -config flag and exits 0 on SIGTERM after draining', async () => {
    const server = await startServer(config)
    expect(await (await fetch(`${server.base}/ping`)).text()).toBe('pong')
    server.child.kill('SIGTERM')
    const [code] = (await once(server.child, 'exit')) as [number | null]
    expect(code).toBe(0)
    expect(server.output()).toContain('shut down cleanly')
  })

  it('exits 0 on SIGINT too', async () => {
    const server = await startServer(config)
    server.child.kill('SIGINT')
    const [code] = (await once(server.child, 'exit')) as [number | null]
    expect(code).toBe(0)
  })
})

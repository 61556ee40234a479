/**
 * The embedded store survives the death of its process: a server killed with SIGKILL in the middle
 * of a step is started again and finishes the operation, re-running only the step in flight.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { slowKind } from './fixtures/test-kinds.js'
import { runsOf, tempDir, waitFor } from './helpers.js'
import { killAllServers, serverConfig, startServer } from './server-process.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

const dirs: string[] = []
afterEach(() => {
  killAllServers()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Queues a slow operation in the store file, as a request to a process that has since stopped. */
async function queueSlowOperation(dir: string): Promise<string> {
  const config = await testConfig({ operations: { sqlitePath: join(dir, 'operations.sqlite'), concurrency: 0 } })
  const app = await buildApp({ config, logger: false })
  app.operations.register(slowKind)
  try {
    const op = await app.operations.start({ kind: 'test.slow', account: 'main', target: { cluster: 'web' }, input: { dir } })
    return op.id
  } finally {
    await app.close()
  }
}

describe('embedded store across process deaths', () => {
  it('a server killed with SIGKILL during a step is restarted and finishes the operation', { timeout: 90_000 }, async () => {
    const dir = tempDir()
    dirs.push(dir)
    const id = await queueSlowOperation(dir)
    const config = serverConfig(dir, {})

    // The first process resumes the queued operation and gets stuck in the slow step.
    const first = await startServer(dir, config, 'first')
    await waitFor('the slow step in the first process', () => runsOf(dir, 'wait-for-release').includes(first.pid))
    const stuck = await first.operation(id)
    expect(stuck.status).toBe('running')
    expect(stuck.steps.map((s) => s.status)).toEqual(['succeeded', 'running', 'pending'])
    expect(await first.stop('SIGKILL')).toBeNull()

    // The second process finds it abandoned as running and re-runs the step that was in flight.
    const second = await startServer(dir, config, 'second')
    await waitFor('the slow step in the second process', () => runsOf(dir, 'wait-for-release').includes(second.pid), 30_000)
    writeFileSync(join(dir, 'release'), '')
    const done = await waitFor('the operation to succeed', async () => {
      const op = await second.operation(id)
      return op.status === 'succeeded' ? op : undefined
    })
    expect(done.runs).toBe(2)
    expect(done.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['prepare', 'succeeded', 1],
      ['wait-for-release', 'succeeded', 2],
      ['finish', 'succeeded', 1],
    ])
    expect(done.events!.map((e) => e.message)).toContain('resumed (run 2)')
    expect(runsOf(dir, 'prepare')).toEqual([first.pid])
    expect(runsOf(dir, 'wait-for-release')).toEqual([first.pid, second.pid])
    expect(runsOf(dir, 'finish')).toEqual([second.pid])
    expect(await second.stop('SIGTERM')).toBe(0)
  })

  it('on SIGTERM the server finishes the step in flight, exits 0, and the next process does the rest', { timeout: 90_000 }, async () => {
    const dir = tempDir()
    dirs.push(dir)
    const id = await queueSlowOperation(dir)
    const config = serverConfig(dir, { shutdownTimeoutMs: 20_000 })

    const first = await startServer(dir, config, 'first')
    await waitFor('the slow step', () => runsOf(dir, 'wait-for-release').includes(first.pid))
    const exit = first.stop('SIGTERM')
    // Released only once the server stopped taking further steps, so the step in flight finishes during the shutdown.
    await first.untilOutput('operations stopping')
    writeFileSync(join(dir, 'release'), '')
    expect(await exit).toBe(0)
    expect(runsOf(dir, 'finish')).toEqual([])
    expect(first.output()).toContain('operation paused by shutdown')

    const second = await startServer(dir, config, 'second')
    const done = await waitFor('the operation to succeed', async () => {
      const op = await second.operation(id)
      return op.status === 'succeeded' ? op : undefined
    })
    expect(done.steps.map((s) => s.attempts)).toEqual([1, 1, 1])
    expect(runsOf(dir, 'finish')).toEqual([second.pid])
    await second.stop('SIGTERM')
  })
})

/**
 * With Redis, replicas share the work: two server processes run on one queue, the one running an
 * operation is killed with SIGKILL in the middle of a step, and the other one finishes it.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { startRedis, type RedisServer } from '../harness/redis.js'
import { slowKind } from './fixtures/test-kinds.js'
import { runsOf, tempDir, waitFor } from './helpers.js'
import { killAllServers, serverConfig, startServer } from './server-process.js'

// The apps are configured against moto (testConfig): each test starts from an empty moto, not from what earlier files left.
useMotoReset()

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis.stop()
})
const dirs: string[] = []
afterEach(() => {
  killAllServers()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('Redis-backed replicas', () => {
  it('when the replica running an operation is killed, the other one finishes it', { timeout: 90_000 }, async () => {
    const dir = tempDir()
    dirs.push(dir)
    // Short claims, so the survivor notices the dead replica within seconds.
    const config = serverConfig(dir, { redis: redis.url, operations: { lockDurationMs: 2000, stalledIntervalMs: 1000 } })
    const [a, b] = await Promise.all([startServer(dir, config, 'a'), startServer(dir, config, 'b')])

    // A front end that runs no operations starts it, as any replica's route would.
    const front = await buildApp({ config: await testConfig({ redis: redis.url, operations: { concurrency: 0 } }), logger: false })
    front.operations.register(slowKind)
    try {
      const op = await front.operations.start({ kind: 'test.slow', account: 'main', target: { cluster: 'web' }, input: { dir } })
      const [victimPid] = await waitFor('a replica to reach the slow step', () => {
        const pids = runsOf(dir, 'wait-for-release')
        return pids.length > 0 ? pids : undefined
      })
      const [victim, survivor] = victimPid === a.pid ? [a, b] : [b, a]
      expect((await survivor.operation(op.id)).steps.map((s) => s.status)).toEqual(['succeeded', 'running', 'pending'])
      expect(await victim.stop('SIGKILL')).toBeNull()

      await waitFor('the survivor to resume the slow step', () => runsOf(dir, 'wait-for-release').includes(survivor.pid), 30_000)
      writeFileSync(join(dir, 'release'), '')
      const done = await waitFor('the operation to succeed', async () => {
        const now = await survivor.operation(op.id)
        return now.status === 'succeeded' ? now : undefined
      })
      expect(done.runs).toBe(2)
      expect(done.steps.map((s) => [s.id, s.attempts])).toEqual([
        ['prepare', 1],
        ['wait-for-release', 2],
        ['finish', 1],
      ])
      expect(runsOf(dir, 'prepare')).toEqual([victim.pid])
      expect(runsOf(dir, 'wait-for-release')).toEqual([victim.pid, survivor.pid])
      expect(runsOf(dir, 'finish')).toEqual([survivor.pid])
      expect(await front.operations.get('main', op.id)).toEqual(done)
      // Log lines leave the process in batches: wait for the line rather than expect it already out.
      await survivor.untilOutput('operation abandoned by its replica; resuming it')
      expect(await survivor.stop('SIGTERM')).toBe(0)
    } finally {
      await front.close()
    }
  })
})

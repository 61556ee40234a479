import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'

/** A fresh temporary directory. */
export function tempDir(prefix = 'ecs-api-ops-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** The pids a traced step recorded, one per run, in order. */
export function runsOf(dir: string, step: string): number[] {
  const file = join(dir, `${step}.log`)
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(25)
  }
}

/**
 * Resolves once the app's operations begin to stop (`beginStop`, on close): from then on no further
 * step starts, and the step in flight may still finish.
 */
export function stopBegins(app: FastifyInstance): Promise<void> {
  const operations = app.operations
  const beginStop = operations.beginStop.bind(operations)
  return new Promise<void>((resolve) => {
    operations.beginStop = () => {
      beginStop()
      resolve()
    }
  })
}

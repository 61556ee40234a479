/**
 * vitest globalSetup: one moto server for the whole run (test files run one after another, see
 * vitest.config.ts `fileParallelism: false`). Tests read the endpoint with `motoEndpoint()` from
 * ./index.ts.
 *
 * - `MOTO_ENDPOINT=http://127.0.0.1:PORT` uses an already running server (not started/stopped here).
 * - Otherwise runs scripts/ensure-moto.sh when .venv lacks moto MOTO_VERSION, starts moto on a free
 *   loopback port, warms it up, and stops it in teardown.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

import type { TestProject } from 'vitest/node'

import {
  ENSURE_MOTO_SCRIPT,
  MOTO_SERVER_BIN,
  MOTO_SERVER_PACKAGES,
  MOTO_VERSION,
  REPO_ROOT,
  type MotoServer,
  startMoto,
  warmMoto,
} from './moto.js'

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string
  }
}

/** True when .venv/bin/moto_server exists and .venv holds the dist-info of every pinned server package (no spawn). */
function motoInstalled(): boolean {
  if (!existsSync(MOTO_SERVER_BIN)) return false
  const lib = join(REPO_ROOT, '.venv', 'lib')
  if (!existsSync(lib)) return false
  return readdirSync(lib).some((py) =>
    Object.entries(MOTO_SERVER_PACKAGES).every(([name, version]) =>
      existsSync(join(lib, py, 'site-packages', `${name}-${version}.dist-info`)),
    ),
  )
}

function ensureMoto(): void {
  if (motoInstalled()) return
  const res = spawnSync('bash', [ENSURE_MOTO_SCRIPT], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (res.error) throw new Error(`could not run ${ENSURE_MOTO_SCRIPT}: ${res.error.message}`)
  if (res.status !== 0) {
    throw new Error(`${ENSURE_MOTO_SCRIPT} failed (exit ${String(res.status ?? res.signal)})`)
  }
}

const ms = (t0: number): string => `${Math.round(performance.now() - t0)} ms`

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.MOTO_ENDPOINT?.replace(/\/+$/, '')
  if (external) {
    const t0 = performance.now()
    await warmMoto(external)
    console.log(`[moto] using MOTO_ENDPOINT=${external} (warm-up ${ms(t0)})`)
    project.provide('motoEndpoint', external)
    return async () => {}
  }

  const t0 = performance.now()
  ensureMoto()
  const tEnsure = ms(t0)
  const t1 = performance.now()
  const server: MotoServer = await startMoto()
  const tStart = ms(t1)
  try {
    const t2 = performance.now()
    await warmMoto(server.endpoint)
    console.log(
      `[moto] ${MOTO_VERSION} on ${server.endpoint} pid ${server.pid}: ` +
        `ensure ${tEnsure}, start ${tStart}, warm-up ${ms(t2)}, total ${ms(t0)}`,
    )
  } catch (err) {
    await server.stop()
    throw err
  }
  project.provide('motoEndpoint', server.endpoint)

  return async () => {
    await server.stop()
  }
}

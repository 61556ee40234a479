/**
 * Writes `dist/build-info.json` after the compile (`npm run build`): the build stamp (when the
 * build ran, UTC) and the git hash of the sources when known, which `GET /v1/ecs/version` shows.
 * `ECS_API_GITHASH` (an image build that has no .git) wins over git; without either the hash is left
 * out and the version route says `unknown`.
 *
 *     npx tsx scripts/build-info.ts [--out PATH]
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export interface BuildInfo {
  buildstamp: string
  githash?: string
}

function gitHead(cwd: string): string | undefined {
  try {
    const hash = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim()
    return /^[0-9a-f]{40}$/.test(hash) ? hash : undefined
  } catch {
    return undefined
  }
}

export function buildInfo(root: string, now: Date = new Date(), env: Record<string, string | undefined> = process.env): BuildInfo {
  const githash = env.ECS_API_GITHASH || gitHead(root)
  return { buildstamp: now.toISOString(), ...(githash ? { githash } : {}) }
}

if (process.argv[1]?.endsWith('build-info.ts')) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
  const { values } = parseArgs({ options: { out: { type: 'string', default: resolve(root, 'dist/build-info.json') } } })
  const out = resolve(values.out)
  const info = buildInfo(root)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(info, null, 2)}\n`)
  console.log(`build-info: ${out} ${info.buildstamp} ${info.githash ?? '(no git hash)'}`)
}

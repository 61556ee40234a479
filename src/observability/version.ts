import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface VersionInfo {
  version: string
  githash: string
  buildstamp: string
}

let cached: VersionInfo | undefined

function readJson(url: URL): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

function gitHash(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).toString().trim()
  } catch {
    return undefined
  }
}

/**
 * version from package.json; githash and buildstamp from the environment (set by the image build),
 * else from `build-info.json` written by the build, else from git for a checkout.
 */
export function versionInfo(env: Record<string, string | undefined> = process.env): VersionInfo {
  if (cached) return cached
  // src/observability/ and dist/src/observability/ both reach the package root by walking up.
  const pkg = readJson(new URL('../../package.json', import.meta.url)) ?? readJson(new URL('../../../package.json', import.meta.url))
  const build = readJson(new URL('../../build-info.json', import.meta.url)) ?? readJson(new URL('../../../build-info.json', import.meta.url))
  cached = versionInfoFrom(pkg, build, env, gitHash)
  return cached
}

/** The version answer from package.json, the build's `build-info.json` and the environment. */
export function versionInfoFrom(
  pkg: Record<string, unknown> | undefined,
  build: Record<string, unknown> | undefined,
  env: Record<string, string | undefined>,
  git: () => string | undefined = () => undefined,
): VersionInfo {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  return {
    version: text(pkg?.version) ?? '0.0.0',
    githash: text(env.ECS_API_GITHASH) ?? text(build?.githash) ?? git() ?? 'unknown',
    buildstamp: text(env.ECS_API_BUILDSTAMP) ?? text(build?.buildstamp) ?? 'unknown',
  }
}

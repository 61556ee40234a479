/** The version answer: a build stamp written by the build, the git hash when known, the environment first. */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildInfo } from '../../scripts/build-info.js'
import { versionInfoFrom } from '../../src/observability/version.js'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

const root = fileURLToPath(new URL('../../', import.meta.url))
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim()

describe('version', () => {
  it("stamps the build with its time and the checkout's git hash", () => {
    const at = new Date('2026-12-06T12:00:00Z')
    expect(buildInfo(root, at, {})).toEqual({ buildstamp: '2026-12-06T12:00:00.000Z', githash: head })
    expect(buildInfo(root, at, { ECS_API_GITHASH: 'abc123' }).githash).toBe('abc123')
    expect(buildInfo('/', at, {})).toEqual({ buildstamp: '2026-12-06T12:00:00.000Z' })
  })

  it('answers the build stamp of the build, the environment overriding it', () => {
    const build = { buildstamp: '2026-12-06T12:00:00.000Z', githash: head }
    expect(versionInfoFrom({ version: '1.2.3' }, build, {})).toEqual({ version: '1.2.3', githash: head, buildstamp: build.buildstamp })
    expect(versionInfoFrom({ version: '1.2.3' }, build, { ECS_API_BUILDSTAMP: 'x', ECS_API_GITHASH: 'y' })).toMatchObject({ githash: 'y', buildstamp: 'x' })
    expect(versionInfoFrom(undefined, undefined, {}, () => undefined)).toEqual({ version: '0.0.0', githash: 'unknown', buildstamp: 'unknown' })
  })

  it('shows the git hash of a checkout over HTTP', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/version' })
    expect(res.statusCode).toBe(200)
    expect(res.json().githash).toMatch(/^[0-9a-f]{40}$/)
  })
})

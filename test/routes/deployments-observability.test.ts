/**
 * Deployments are documented (every route and header in /v1/ecs/openapi.json) and observable: a
 * counter by outcome, a duration histogram and one structured log line per outcome.
 */
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed, failed, inProgress } from '../harness/rollout-simulator.js'
import { accountsAt, create, createBody, FAST_TRACKING, settled, simApp, simulator } from './deployments-fixtures.js'

useMotoReset()

describe('deployments in the OpenAPI document', () => {
  it('documents the deployment routes, the wait parameter and the headers of create and update', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    const spec = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json()
    const base = '/v1/ecs/{account}/clusters/{cluster}/services/{service}'
    expect(Object.keys(spec.paths[`${base}/deployments`])).toContain('get')
    expect(Object.keys(spec.paths[`${base}/deployments/{id}`])).toContain('get')
    expect(Object.keys(spec.paths[`${base}/rollback`])).toContain('post')
    expect(Object.keys(spec.paths[`${base}/deployments/{id}/abort`])).toContain('post')
    for (const [path, method] of [['/v1/ecs/{account}/services', 'post'], [base, 'put']] as const) {
      const op = spec.paths[path][method]
      expect(Object.keys(op.responses['200'].headers), path).toEqual(expect.arrayContaining(['X-Deployment-Id', 'Location', 'Preference-Applied']))
      expect(op.parameters.map((p: { name: string }) => p.name), path).toContain('wait')
    }
    for (const [path, method] of [['/v1/ecs/{account}/services', 'post'], [base, 'put'], [`${base}/rollback`, 'post'], [`${base}/deployments/{id}/abort`, 'post']] as const) {
      const prefer = spec.paths[path][method].parameters.find((p: { name: string; in: string }) => p.in === 'header' && p.name.toLowerCase() === 'prefer')
      expect(prefer?.description, path).toMatch(/wait=/)
    }
    expect(Object.keys(spec.paths[`${base}/rollback`].post.responses['202'].headers)).toContain('X-Deployment-Id')
  })
})

describe('deployment metrics and logs (rollout simulator)', () => {
  it('counts outcomes, observes durations and writes one log line per outcome (rollout simulator)', async () => {
    const sim = await simulator()
    const lines: Record<string, unknown>[] = []
    const config = await testConfig({ accounts: await accountsAt(sim.endpoint), deployments: FAST_TRACKING, logLevel: 'info' })
    const app = await buildApp({ config, logStream: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } })
    onTestFinished(() => app.close())
    sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
    sim.script('api', [{ deployments: inProgress(0, 1) }, { deployments: failed(1) }])
    const web = (await create(app)).headers['x-deployment-id'] as string
    const api = (await create(app, createBody('api'))).headers['x-deployment-id'] as string
    await settled(app, web)
    await settled(app, api, 'api')

    const metrics = (await app.inject({ method: 'GET', url: '/v1/ecs/metrics' })).body
    expect(metrics).toContain('ecs_api_deployments_total{outcome="SUCCEEDED"} 1')
    expect(metrics).toContain('ecs_api_deployments_total{outcome="FAILED"} 1')
    expect(metrics).toMatch(/ecs_api_deployment_duration_seconds_count\{outcome="SUCCEEDED"\} 1/)
    const ended = lines.filter((l) => l.msg === 'deployment ended')
    expect(ended.map((l) => [l.deploymentId, l.service, l.outcome]).sort()).toEqual(
      [
        [api, 'api', 'FAILED'],
        [web, 'web', 'SUCCEEDED'],
      ].sort(),
    )
    expect(ended.every((l) => typeof l.durationSeconds === 'number' && l.cluster === 'space1')).toBe(true)
  })
})

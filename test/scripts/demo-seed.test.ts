/**
 * The demo's seeding against moto, through a listening app: every read the demo prints as a curl
 * command answers 200 with data (the spaces, the space summary with the task definition's schedule,
 * the service, its logs, its diagnosis and its deployments).
 */
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { DEMO_SCHEDULE, DEMO_SPACE, demoServiceBody, seedDemo } from '../../scripts/demo-seed.js'
import { buildTestApp, TEST_TOKEN } from '../harness/app.js'
import { defaultVpcResources, MOTO_REGION, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

describe('the demo seeding', () => {
  it('leaves a space whose printed reads all answer data', async () => {
    const app = await buildTestApp()
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/ecs`
    const progress: string[] = []
    const reads = await seedDemo({
      base,
      token: TEST_TOKEN,
      account: 'main',
      motoEndpoint: motoEndpoint(),
      region: MOTO_REGION,
      vpc: await defaultVpcResources(motoEndpoint()),
      log: (line) => progress.push(line),
    })
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(reads.map((r) => r.label)).toEqual(["the org's spaces", 'the space summary', 'the service with its task definition and tasks', 'its logs', 'its diagnosis', 'its deployments'])
    const bodies: Record<string, unknown> = {}
    for (const read of reads) {
      const res = await fetch(`${base}${read.path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
      expect(res.status, read.path).toBe(200)
      const body = (await res.json())
      expect(body, read.path).not.toEqual([])
      expect(body, read.path).not.toEqual({})
      bodies[read.label] = body
    }
    expect(bodies["the org's spaces"]).toEqual([expect.objectContaining({ Space: DEMO_SPACE, ServiceCount: 1, TaskDefinitionFamilyCount: 1 })])
    expect(bodies['the space summary']).toMatchObject({
      Space: DEMO_SPACE,
      Services: [{ ServiceName: 'hello', Containers: [{ Name: 'web', Image: 'nginx:alpine' }], Deployment: { Kind: 'create' } }],
      TaskDefinitionFamilies: [{ Family: 'hello', Schedules: [{ Name: DEMO_SCHEDULE, Expression: 'cron(0 3 * * ? *)', State: 'ENABLED' }] }],
      SecretCount: 1,
      ParameterCount: 1,
    })
    expect((bodies['its logs'] as { Events: Array<{ Message: string }> }).Events.map((e) => e.Message)).toContain('nginx: ready for connections on :80')
    // The service create is a deployment the API tracks: the diagnosis shows it, the list has it.
    const deployments = bodies['its deployments'] as Array<{ Id: string; Kind: string; ServiceName: string }>
    expect(deployments).toEqual([expect.objectContaining({ Kind: 'create', ServiceName: 'hello' })])
    expect(bodies['its diagnosis']).toMatchObject({
      ServiceName: 'hello',
      Cluster: DEMO_SPACE,
      Deployment: { Id: deployments[0]!.Id, Kind: 'create', Source: 'tracked' },
    })
  })

  it('is what the README shows as a complete service-create body', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('**A service-create body**'))
    const block = /\n\n((?: {4}.*\n)+)/.exec(section)?.[1] ?? ''
    expect(JSON.parse(block.replace(/^ {4}/gm, ''))).toEqual(demoServiceBody(MOTO_REGION))
  })
})

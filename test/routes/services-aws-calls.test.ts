/**
 * The AWS calls one service update (new revision and tags) and one plain delete make, counted through
 * the app's own metrics: nothing an earlier step already answered is asked again.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

/** AWS calls the app made, `service:operation` to count (from its own metrics registry). */
async function awsCalls(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    const key = `${String(v.labels.service)}:${String(v.labels.operation)}`
    out[key] = (out[key] ?? 0) + v.value
  }
  return out
}

async function createService(): Promise<void> {
  const app = await buildTestApp()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine' }],
      },
      service: { serviceName: 'web', desiredCount: 1 },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
}

describe('AWS calls per request', () => {
  it('a service update with a new revision and tags', async () => {
    await createService()
    const app = await buildTestApp()
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/ecs/main/clusters/space1/services/web',
      headers: authHeaders,
      payload: {
        TaskDefinition: { family: 'supercool-service', cpu: '256', memory: '1024', containerDefinitions: [{ name: 'webserver', image: 'nginx:1' }] },
        Tags: [{ Key: 'Team', Value: 'red' }],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.CloudwatchLogGroups).toEqual([expect.stringMatching(/:log-group:space1$/)])
    expect(body.Service.Tags).toContainEqual({ Key: 'Team', Value: 'red' })
    expect(body.Service.TaskDefinition).toBe(body.TaskDefinition.TaskDefinitionArn)
    expect(await awsCalls(app)).toEqual({
      'ECS:DescribeClusters': 1,
      'ECS:DescribeServices': 1,
      'ECS:DescribeTaskDefinition': 2,
      'ECS:RegisterTaskDefinition': 1,
      'ECS:UpdateService': 1,
      // Cluster and log group in one call; revision and service in another.
      'Tagging:TagResources': 2,
      'CloudWatchLogs:DescribeLogGroups': 1,
      'IAM:GetRole': 1,
      'IAM:GetRolePolicy': 1,
      'IAM:TagRole': 1,
    })
  })

  it('a plain service delete', async () => {
    await createService()
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space1/services/web', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(await awsCalls(app)).toEqual({ 'ECS:DescribeServices': 1, 'ECS:UpdateService': 1, 'ECS:DeleteService': 1 })
  })
})

/**
 * The AWS calls of each route of the mixed load (service list, show, events and tag update; secret
 * list, create, show and delete; parameter create and delete), counted exactly through the app's own
 * metrics: what a request already knows, or what a recent check and the request's own data settle,
 * is not asked again.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { injectCounting, totalOf } from './aws-call-counts.js'
import { createSpaceService } from './services-fixtures.js'

useMotoReset()

const services = '/v1/ecs/main/clusters/space1/services'

/** The service `web` in the space `space1`, made through the API (with its role and log group). */
async function createService(): Promise<void> {
  await createSpaceService(await buildTestApp(), 'web', 'webserver')
}

async function calls(app: FastifyInstance, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) {
  const { res, calls: made } = await injectCounting(app, { method, url, headers: authHeaders, ...(payload ? { payload } : {}) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
  return made
}

describe('AWS calls per request of the mixed load', () => {
  it('each route makes the calls it needs and no more', async () => {
    await createService()
    const app = await buildTestApp()

    // The first list of a space checks the cluster beside the listing; later ones find an ACTIVE
    // service of the org in the listing itself and skip the DescribeClusters.
    expect(await calls(app, 'GET', services)).toEqual({ 'ECS:ListServices': 1, 'ECS:DescribeClusters': 1, 'ECS:DescribeServices': 1 })
    let mix: [string, Record<string, number>][] = []
    const round = async () => {
      mix.push(['service list', await calls(app, 'GET', services)])
      mix.push(['service show', await calls(app, 'GET', `${services}/web`)])
      mix.push(['service events', await calls(app, 'GET', `${services}/web/events`)])
      mix.push(['service tag update', await calls(app, 'PUT', `${services}/web`, { Tags: [{ Key: 'Team', Value: 'red' }] })])
      mix.push(['secret list', await calls(app, 'GET', '/v1/ecs/main/secrets')])
      mix.push(['secret create', await calls(app, 'POST', '/v1/ecs/main/secrets', { Name: 'mix', SecretString: 'x' })])
      mix.push(['secret show', await calls(app, 'GET', '/v1/ecs/main/secrets/mix')])
      mix.push(['secret delete', await calls(app, 'DELETE', '/v1/ecs/main/secrets/mix?window=0')])
      mix.push(['parameter create', await calls(app, 'POST', '/v1/ecs/main/params/app', { Name: 'p1', Value: 'v' })])
      mix.push(['parameter delete', await calls(app, 'DELETE', '/v1/ecs/main/params/app/p1')])
    }
    // Twice: what a tag update did to the cluster does not cost the next list a DescribeClusters,
    // and the role and log group the first one found are tagged by the second without looking them
    // up again.
    await round()
    const first = mix
    mix = []
    await round()

    const expected: Record<string, Record<string, number>> = {
      'service list': { 'ECS:ListServices': 1, 'ECS:DescribeServices': 1 },
      'service show': { 'ECS:DescribeServices': 1 },
      'service events': { 'ECS:DescribeServices': 1 },
      // The cluster is asked for although its org was checked lately: the answer carries it. The
      // revision the service runs was read by the first round's update, and its content never changes.
      'service tag update': {
        'ECS:DescribeClusters': 1,
        'ECS:DescribeServices': 1,
        // Cluster and log group in one call (their shared tags), revision and service in another.
        'Tagging:TagResources': 2,
        'IAM:TagRole': 1,
      },
      'secret list': { 'SecretsManager:ListSecrets': 1 },
      'secret create': { 'SecretsManager:CreateSecret': 1 },
      'secret show': { 'SecretsManager:DescribeSecret': 1 },
      // Deleted at once (window=0), even one made here is read first: Secrets Manager answers that
      // delete with success for a secret that is gone.
      'secret delete': { 'SecretsManager:DescribeSecret': 1, 'SecretsManager:DeleteSecret': 1 },
      'parameter create': { 'SSM:PutParameter': 1 },
      // Made by this process a moment ago: deleted without reading it back first.
      'parameter delete': { 'SSM:DeleteParameter': 1 },
    }
    // The space was made by another app (a replica): the first tag update of this one looks its role,
    // log group and the service's revision up before tagging them.
    const firstTagUpdate = {
      ...expected['service tag update'],
      'ECS:DescribeTaskDefinition': 1,
      'CloudWatchLogs:DescribeLogGroups': 1,
      'IAM:GetRole': 1,
    }
    for (const [route, made] of first) expect(made, `${route} (first round)`).toEqual(route === 'service tag update' ? firstTagUpdate : expected[route])
    for (const [route, made] of mix) expect(made, route).toEqual(expected[route])
    // One of each route: 19 calls for 10 requests the first time, 16 from then on.
    expect(first.reduce((n, [, made]) => n + totalOf(made), 0)).toBe(19)
    expect(mix.reduce((n, [, made]) => n + totalOf(made), 0)).toBe(16)
  })

  it('a secret made here and deleted after a recovery window is not read back first', async () => {
    const app = await buildTestApp()
    await calls(app, 'POST', '/v1/ecs/main/secrets', { Name: 'windowed', SecretString: 'x' })
    expect(await calls(app, 'DELETE', '/v1/ecs/main/secrets/windowed')).toEqual({ 'SecretsManager:DeleteSecret': 1 })
  })

  it('a secret or parameter made elsewhere (another replica) is checked before it is deleted', async () => {
    const elsewhere = await buildTestApp()
    await calls(elsewhere, 'POST', '/v1/ecs/main/secrets', { Name: 'mix', SecretString: 'x' })
    await calls(elsewhere, 'POST', '/v1/ecs/main/params/app', { Name: 'p1', Value: 'v' })
    const app = await buildTestApp()
    expect(await calls(app, 'DELETE', '/v1/ecs/main/secrets/mix')).toEqual({
      'SecretsManager:DescribeSecret': 1,
      'SecretsManager:DeleteSecret': 1,
    })
    expect(await calls(app, 'DELETE', '/v1/ecs/main/params/app/p1')).toEqual({ 'SSM:ListTagsForResource': 1, 'SSM:DeleteParameter': 1 })
  })
})

/**
 * A secret or parameter this process created is deleted without being read back first (a secret
 * after a recovery window: one deleted at once is always read first); what another
 * replica (an app instance against the same moto) or another org did to it meanwhile still gets the
 * answer it got before: a 404 for one gone or replaced by another org's, a 409 for one already
 * scheduled for deletion, and the other org's secret is left alone.
 */
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'
import { injectCounting } from './aws-call-counts.js'
import { OTHER_ORG } from './services-fixtures.js'

useMotoReset()

async function send(app: FastifyInstance, method: 'POST' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, headers: authHeaders, ...(payload ? { payload } : {}) })
}

async function createSecret(app: FastifyInstance, name: string): Promise<string> {
  const res = await send(app, 'POST', '/v1/ecs/main/secrets', { Name: name, SecretString: 'value' })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ ARN: string }>().ARN
}

describe('a secret created here', () => {
  it('recreated under its name by another org after another replica deleted it: a 404, and theirs stays', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    const otherOrg = await buildTestApp({ org: OTHER_ORG })
    const ours = await createSecret(replicaA, 'shared-name')
    expect((await send(replicaA2, 'DELETE', '/v1/ecs/main/secrets/shared-name?window=0')).statusCode).toBe(200)
    const theirs = await createSecret(otherOrg, 'shared-name')
    expect(theirs).not.toBe(ours)

    const { res, calls } = await injectCounting(replicaA, { method: 'DELETE', url: '/v1/ecs/main/secrets/shared-name', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(404)
    expect(res.json().detail).toBe('secret shared-name not found')
    // The delete by the ARN it created found nothing; the secret's tags then said it is not ours.
    expect(calls).toEqual({ 'SecretsManager:DeleteSecret': 1, 'SecretsManager:DescribeSecret': 1 })
    const sm = new SecretsManagerClient(motoClientConfig(motoEndpoint()))
    onTestFinished(() => sm.destroy())
    const still = await sm.send(new DescribeSecretCommand({ SecretId: 'shared-name' }))
    expect(still.ARN).toBe(theirs)
    expect(still.DeletedDate).toBeUndefined()
  })

  it('deleted by another replica: a 404', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    await createSecret(replicaA, 'gone')
    expect((await send(replicaA2, 'DELETE', '/v1/ecs/main/secrets/gone?window=0')).statusCode).toBe(200)
    const res = await send(replicaA, 'DELETE', '/v1/ecs/main/secrets/gone?window=14')
    expect(res.statusCode, res.body).toBe(404)
  })

  it('scheduled for deletion by another replica: a 409 for another window, deleted at once with window 0', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    await createSecret(replicaA, 'scheduled')
    expect((await send(replicaA2, 'DELETE', '/v1/ecs/main/secrets/scheduled?window=7')).statusCode).toBe(200)
    const again = await send(replicaA, 'DELETE', '/v1/ecs/main/secrets/scheduled')
    expect(again.statusCode, again.body).toBe(409)
    expect(again.json().detail).toMatch(/already scheduled for deletion/)
    const now = await send(replicaA, 'DELETE', '/v1/ecs/main/secrets/scheduled?window=0')
    expect(now.statusCode, now.body).toBe(200)
  })
})

describe('a parameter created here', () => {
  it('deleted by another replica: a 404 naming it', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    expect((await send(replicaA, 'POST', '/v1/ecs/main/params/app', { Name: 'p1', Value: 'v' })).statusCode).toBe(200)
    expect((await send(replicaA2, 'DELETE', '/v1/ecs/main/params/app/p1')).statusCode).toBe(200)
    const { res, calls } = await injectCounting(replicaA, { method: 'DELETE', url: '/v1/ecs/main/params/app/p1', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(404)
    expect(res.json().detail).toBe('parameter app/p1 not found')
    expect(calls).toEqual({ 'SSM:DeleteParameter': 1 })
  })

  it('is read back first when the config keeps nothing (0 seconds)', async () => {
    const app = await buildTestApp({ orgCacheSeconds: 0 })
    expect((await send(app, 'POST', '/v1/ecs/main/params/app', { Name: 'p1', Value: 'v' })).statusCode).toBe(200)
    const { res, calls } = await injectCounting(app, { method: 'DELETE', url: '/v1/ecs/main/params/app/p1', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(calls).toEqual({ 'SSM:ListTagsForResource': 1, 'SSM:DeleteParameter': 1 })
  })
})

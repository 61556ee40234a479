/**
 * PUT of a secret and of a parameter change tags and value together or not at all, against moto:
 * when the value write fails (injected in the app's SDK client: moto does not fail it), the tags the
 * request added or overwrote are put back, the value stays, and the answer reports the rollback.
 */
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetParameterCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'

useMotoReset()

const sortTags = (tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined) =>
  [...(tags ?? [])].map((t) => ({ Key: t.Key, Value: t.Value })).sort((a, b) => String(a.Key).localeCompare(String(b.Key)))

function clients() {
  const secrets = new SecretsManagerClient(motoClientConfig(motoEndpoint()))
  const ssm = new SSMClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => {
    secrets.destroy()
    ssm.destroy()
  })
  return { secrets, ssm }
}

async function send(app: FastifyInstance, method: 'POST' | 'PUT', url: string, payload: object) {
  return app.inject({ method, url, headers: authHeaders, payload })
}

describe('secret update', () => {
  it('puts the tags back and keeps the value when the value write fails (PutSecretValue refused, injected in the SDK client)', async () => {
    const { secrets } = clients()
    const app = await buildTestApp()
    const created = await send(app, 'POST', '/v1/ecs/main/secrets', { Name: 'db', SecretString: 'old-value', Tags: [{ Key: 'Owner', Value: 'a' }] })
    expect(created.statusCode, created.body).toBe(200)
    const arn = created.json().ARN as string
    const before = sortTags((await secrets.send(new DescribeSecretCommand({ SecretId: arn }))).Tags)

    failAwsCall(app, 'secretsManager', 'PutSecretValue', awsError('InternalServiceError', 500))
    const res = await send(app, 'PUT', `/v1/ecs/main/secrets/${encodeURIComponent(arn)}`, {
      Secret: 'new-value',
      Tags: [{ Key: 'Owner', Value: 'b' }, { Key: 'Added', Value: 'x' }],
    })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500)
    expect(res.json().failedStep).toBe('write-value')
    expect(res.json().rolledBack).toContain('apply-tags')
    expect(res.json().rollbackFailures).toEqual([])

    expect(sortTags((await secrets.send(new DescribeSecretCommand({ SecretId: arn }))).Tags)).toEqual(before)
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('old-value')
  })

  it('changes both when both writes succeed', async () => {
    const { secrets } = clients()
    const app = await buildTestApp()
    const created = await send(app, 'POST', '/v1/ecs/main/secrets', { Name: 'db', SecretString: 'old-value', Tags: [{ Key: 'Owner', Value: 'a' }] })
    const arn = created.json().ARN as string
    const res = await send(app, 'PUT', `/v1/ecs/main/secrets/${encodeURIComponent(arn)}`, { Secret: 'new-value', Tags: [{ Key: 'Owner', Value: 'b' }] })
    expect(res.statusCode, res.body).toBe(200)
    expect(sortTags((await secrets.send(new DescribeSecretCommand({ SecretId: arn }))).Tags)).toEqual([
      { Key: 'Owner', Value: 'b' },
      { Key: 'spinup:org', Value: TEST_ORG },
    ])
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('new-value')
  })
})

describe('parameter update', () => {
  it('puts the tags back and keeps the value when the value write fails (PutParameter refused, injected in the SDK client)', async () => {
    const { ssm } = clients()
    const app = await buildTestApp()
    const created = await send(app, 'POST', '/v1/ecs/main/params/app', { Name: 'db', Value: 'old-value', Tags: [{ Key: 'Owner', Value: 'a' }] })
    expect(created.statusCode, created.body).toBe(200)
    const name = `/${TEST_ORG}/app/db`
    const tagsOf = async () => sortTags((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList)
    const before = await tagsOf()

    failAwsCall(app, 'ssm', 'PutParameter', awsError('InternalServerError', 500))
    const res = await send(app, 'PUT', '/v1/ecs/main/params/app/db', { Value: 'new-value', Tags: [{ Key: 'Owner', Value: 'b' }, { Key: 'Added', Value: 'x' }] })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500)
    expect(res.json().failedStep).toBe('write-value')
    expect(res.json().rolledBack).toContain('apply-tags')

    expect(await tagsOf()).toEqual(before)
    expect((await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value).toBe('old-value')
  })
})

import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG, xAuthHeaders } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'
import { seedFixture } from '../codec/seed-shapes.js'

useMotoReset()

const ORG_TAG = { Key: 'spinup:org', Value: TEST_ORG }

function secretsManager(): SecretsManagerClient {
  const client = new SecretsManagerClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => client.destroy())
  return client
}

/** Creates a secret directly in moto (as another tool, or another org, would). */
async function seedSecret(name: string, tags: Tag[] = [ORG_TAG], value = 'seeded-value'): Promise<string> {
  const out = await secretsManager().send(new CreateSecretCommand({ Name: name, SecretString: value, Tags: tags }))
  return out.ARN!
}

async function allSecretNames(): Promise<string[]> {
  const out = await secretsManager().send(new ListSecretsCommand({ IncludePlannedDeletion: true }))
  return (out.SecretList ?? []).map((s) => s.Name!).sort()
}

async function currentValue(id: string): Promise<string | undefined> {
  return (await secretsManager().send(new GetSecretValueCommand({ SecretId: id }))).SecretString
}

/**
 * Every version of the secret, deprecated ones included, with its stages. Unlike the value, it
 * can be read while the secret is scheduled for deletion (GetSecretValue is refused then).
 */
async function versionsOf(id: string): Promise<Record<string, string[]>> {
  const out = await secretsManager().send(new ListSecretVersionIdsCommand({ SecretId: id, IncludeDeprecated: true }))
  return Object.fromEntries((out.Versions ?? []).map((v) => [v.VersionId!, v.VersionStages ?? []]))
}

async function tagsOf(id: string): Promise<Tag[]> {
  return (await secretsManager().send(new DescribeSecretCommand({ SecretId: id }))).Tags ?? []
}

const url = (path = '') => `/v1/ecs/main/secrets${path}`
const enc = encodeURIComponent

describe('POST /secrets', () => {
  it('creates the seed example with the org tag, answering ARN, Name and VersionId', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url(), headers: await xAuthHeaders(), payload: seedFixture('secret-create.json') as object })
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, string>>()
    expect(body.Name).toBe('sshhhhh')
    expect(body.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:sshhhhh-/)
    expect(body.VersionId).toEqual(expect.any(String))
    expect(res.body).not.toContain('abc123')
    expect(await tagsOf('sshhhhh')).toEqual([ORG_TAG])
    expect(await currentValue('sshhhhh')).toBe('abc123')
  })

  it('takes keys in any case, a base64 SecretBinary, client tags, and a client org tag naming our org (dropped for ours)', async () => {
    const app = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: url(),
      headers: authHeaders,
      payload: {
        name: 'spinup/testorg/space1/bin',
        secretbinary: Buffer.from('binary-value').toString('base64'),
        description: 'a binary secret',
        tags: [{ key: 'app', value: 'web' }, { Key: 'spinup:org', Value: TEST_ORG }],
      },
    })
    expect(res.statusCode).toBe(200)
    const described = await secretsManager().send(new DescribeSecretCommand({ SecretId: 'spinup/testorg/space1/bin' }))
    expect(described.Description).toBe('a binary secret')
    expect(described.Tags).toEqual([ORG_TAG, { Key: 'app', Value: 'web' }])
    const value = await secretsManager().send(new GetSecretValueCommand({ SecretId: 'spinup/testorg/space1/bin' }))
    expect(Buffer.from(value.SecretBinary!).toString()).toBe('binary-value')
  })

  it('refuses a client spinup:org tag naming another org with 403, creating nothing', async () => {
    const app = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: url(),
      headers: authHeaders,
      payload: { Name: 'claimed', SecretString: 'v', Tags: [{ Key: 'spinup:org', Value: 'otherorg' }] },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ code: 'Forbidden', detail: expect.stringContaining('spinup:org') })
    expect(await allSecretNames()).toEqual([])
  })

  it('answers an existing name with 409', async () => {
    await seedSecret('taken')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url(), headers: authHeaders, payload: { Name: 'taken', SecretString: 'new-value' } })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'Conflict', detail: expect.stringContaining('taken') })
    expect(res.body).not.toContain('new-value')
    expect(await currentValue('taken')).toBe('seeded-value')
  })

  it.each([
    ['neither value', { Name: 'x' }, 'one of SecretString or SecretBinary'],
    ['both values', { Name: 'x', SecretString: 's', SecretBinary: 'YWJj' }, 'only one of SecretString or SecretBinary'],
    ['an empty Name', { Name: '', SecretString: 's' }, 'Name is required'],
    ['no Name', { SecretString: 's' }, 'Name is required'],
    ['a Name with characters AWS refuses', { Name: 'a b#c', SecretString: 's' }, 'Name must be'],
    ['a Name of the wrong type', { Name: 42, SecretString: 's' }, 'Name must be a string'],
    ['SecretBinary that is not base64', { Name: 'x', SecretBinary: 'not base64!' }, 'SecretBinary must be a base64 string'],
    ['Tags that are not a list', { Name: 'x', SecretString: 's', Tags: 'a=b' }, 'Tags must be an array'],
    ['a tag without a Key', { Name: 'x', SecretString: 's', Tags: [{ Value: 'v' }] }, 'Tags[0].Key is required'],
    ['an aws: tag key', { Name: 'x', SecretString: 's', Tags: [{ Key: 'aws:x', Value: 'v' }] }, 'Tags[0].Key'],
    ['a value over 64 KiB', { Name: 'x', SecretString: 'v'.repeat(65_537) }, 'SecretString is larger than'],
  ])('answers %s with 400 naming the problem, creating nothing', async (_case, payload, detail) => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url(), headers: authHeaders, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(detail) })
    expect(await allSecretNames()).toEqual([])
  })

  it('answers a null body, an array body and malformed JSON with 400', async () => {
    const app = await buildTestApp()
    for (const payload of ['null', '[]', '{"Name": ']) {
      const res = await app.inject({ method: 'POST', url: url(), headers: { ...authHeaders, 'content-type': 'application/json' }, payload })
      expect(res.statusCode, payload).toBe(400)
    }
    expect(await allSecretNames()).toEqual([])
  })

  it('answers an unknown account with 404 before anything else', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: '/v1/ecs/nope/secrets', headers: authHeaders, payload: { Name: 'x', SecretString: 's' } })
    expect(res.statusCode).toBe(404)
    expect(await allSecretNames()).toEqual([])
  })
})

describe('GET /secrets', () => {
  it("lists the ARNs of the org's secrets, following every page, without secrets scheduled for deletion", async () => {
    const arns: string[] = []
    for (let i = 0; i < 105; i++) arns.push(await seedSecret(`s${String(i).padStart(3, '0')}`))
    await secretsManager().send(new DeleteSecretCommand({ SecretId: 's000', RecoveryWindowInDays: 7 }))
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url(), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json<string[]>().sort()).toEqual(arns.slice(1).sort())
  })

  it('keeps only secrets carrying every given tag with exactly that value', async () => {
    const both = await seedSecret('both', [ORG_TAG, { Key: 'app', Value: 'web' }, { Key: 'env', Value: 'prod' }])
    await seedSecret('prefix-value', [ORG_TAG, { Key: 'app', Value: 'webserver' }, { Key: 'env', Value: 'prod' }])
    await seedSecret('crossed', [ORG_TAG, { Key: 'app', Value: 'prod' }, { Key: 'env', Value: 'web' }])
    await seedSecret('one', [ORG_TAG, { Key: 'app', Value: 'web' }])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url('?app=web&env=prod'), headers: authHeaders })
    expect(res.json()).toEqual([both])
    const none = await app.inject({ method: 'GET', url: url('?app=web%23x'), headers: authHeaders })
    expect(none.statusCode).toBe(200)
    expect(none.json()).toEqual([])
  })

  it('answers [] when the org has no secrets', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url(), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([])
  })
})

describe('GET /secrets/{secret}', () => {
  it('answers the metadata with every member (null when unset) and never the value, by name, encoded name or ARN', async () => {
    const arn = await seedSecret('spinup/testorg/space1/cred', [ORG_TAG, { Key: 'app', Value: 'web' }], 'top-secret-value')
    const app = await buildTestApp()
    for (const id of [enc('spinup/testorg/space1/cred'), enc(arn)]) {
      const res = await app.inject({ method: 'GET', url: url(`/${id}`), headers: authHeaders })
      expect(res.statusCode).toBe(200)
      const body = res.json<Record<string, unknown>>()
      expect(body).toMatchObject({
        ARN: arn,
        Name: 'spinup/testorg/space1/cred',
        DeletedDate: null,
        Description: null,
        RotationEnabled: null,
        Tags: [ORG_TAG, { Key: 'app', Value: 'web' }],
      })
      expect(body.LastChangedDate).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(Object.keys(body.VersionIdsToStages as object)).toHaveLength(1)
      expect(res.body).not.toContain('top-secret-value')
    }
  })

  it('answers at the seed spelling /secret/{secret} too', async () => {
    await seedSecret('ShhhDontTellAnyone')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/secret/ShhhDontTellAnyone', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ Name: 'ShhhDontTellAnyone' })
  })

  it('answers a missing secret with 404 and an id with characters AWS refuses with 400', async () => {
    const app = await buildTestApp()
    const missing = await app.inject({ method: 'GET', url: url('/nope'), headers: authHeaders })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'NotFound', detail: 'secret nope not found' })
    const bad = await app.inject({ method: 'GET', url: url(`/${enc('a b#')}`), headers: authHeaders })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining('secret must be') })
  })
})

describe('PUT /secrets/{secret}', () => {
  it('applies the seed example: adds the tag and stores the value as the current version', async () => {
    const arn = await seedSecret('sshhhhh')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('/sshhhhh'), headers: authHeaders, payload: seedFixture('secret-update.json') as object })
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, unknown>>()
    expect(body).toMatchObject({ ARN: arn, Name: 'sshhhhh', VersionStages: ['AWSCURRENT'] })
    expect(body.VersionId).toEqual(expect.any(String))
    expect(res.body).not.toContain('TOPSEKRET')
    expect(await currentValue('sshhhhh')).toBe('TOPSEKRETsshhhhh')
    expect(await tagsOf('sshhhhh')).toEqual([ORG_TAG, { Key: 'Application', Value: 'FooBAAAAAR' }])
  })

  it('updates only tags (overwriting a value) with an empty 200 and leaves the value alone', async () => {
    await seedSecret('a/b', [ORG_TAG, { Key: 'app', Value: 'old' }])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url(`/${enc('a/b')}`), headers: authHeaders, payload: { tags: [{ key: 'app', value: 'new' }] } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('')
    expect(await tagsOf('a/b')).toEqual([ORG_TAG, { Key: 'app', Value: 'new' }])
    expect(await currentValue('a/b')).toBe('seeded-value')
  })

  it.each([
    ['only a spinup:org tag naming our org (dropped)', { Tags: [ORG_TAG] }, 'nothing to update: give a Secret and/or Tags'],
    ['nothing to update', { SecretString: 'wrong-key' }, 'nothing to update: give a Secret and/or Tags (ignored: SecretString)'],
    ['a Secret that is not a string', { Secret: 12 }, 'Secret must be a string'],
    ['Tags with a bad item', { Secret: 'x', Tags: [null] }, 'Tags[0] must not be null'],
  ])('answers %s with 400, changing nothing', async (_case, payload, detail) => {
    await seedSecret('kept', [ORG_TAG, { Key: 'app', Value: 'web' }])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('/kept'), headers: authHeaders, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(detail) })
    expect(await currentValue('kept')).toBe('seeded-value')
    expect(await tagsOf('kept')).toEqual([ORG_TAG, { Key: 'app', Value: 'web' }])
  })

  it.each([
    ['a spinup:org tag', { Secret: 'x', Tags: [{ Key: 'spinup:org', Value: 'otherorg' }] }, 'spinup:org'],
    ['a yale:org tag', { Tags: [{ Key: 'yale:org', Value: 'otherorg' }] }, 'yale:org'],
  ])('refuses %s naming another org with 403, changing nothing', async (_case, payload, detail) => {
    await seedSecret('kept', [ORG_TAG, { Key: 'app', Value: 'web' }])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('/kept'), headers: authHeaders, payload })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ code: 'Forbidden', detail: expect.stringContaining(detail) })
    expect(await currentValue('kept')).toBe('seeded-value')
    expect(await tagsOf('kept')).toEqual([ORG_TAG, { Key: 'app', Value: 'web' }])
  })

  it('drops a spinup:org tag naming our org and applies the rest', async () => {
    await seedSecret('kept', [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('/kept'), headers: authHeaders, payload: { Tags: [ORG_TAG, { Key: 'app', Value: 'web' }] } })
    expect(res.statusCode).toBe(200)
    expect(await tagsOf('kept')).toEqual([ORG_TAG, { Key: 'app', Value: 'web' }])
  })

  it('answers a secret scheduled for deletion with 409 and a missing one with 404', async () => {
    await seedSecret('going')
    await secretsManager().send(new DeleteSecretCommand({ SecretId: 'going', RecoveryWindowInDays: 7 }))
    const versions = await versionsOf('going')
    expect(Object.values(versions)).toEqual([['AWSCURRENT']])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('/going'), headers: authHeaders, payload: { Secret: 'new-value' } })
    expect(res.statusCode).toBe(409)
    // moto stores a new value (PutSecretValue) even for a secret scheduled for deletion: no new version was written.
    expect(await versionsOf('going')).toEqual(versions)
    const missing = await app.inject({ method: 'PUT', url: url('/nope'), headers: authHeaders, payload: { Secret: 'x' } })
    expect(missing.statusCode).toBe(404)
  })
})

describe('DELETE /secrets/{secret}', () => {
  it('schedules deletion with the default window of 7 days and answers ARN, DeletionDate and Name', async () => {
    const arn = await seedSecret('old')
    const app = await buildTestApp()
    const before = Date.now()
    const res = await app.inject({ method: 'DELETE', url: url('/old'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json<{ ARN: string; Name: string; DeletionDate: string }>()
    expect(body).toMatchObject({ ARN: arn, Name: 'old' })
    const days = (Date.parse(body.DeletionDate) - before) / 86_400_000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThan(7.1)
    const described = await secretsManager().send(new DescribeSecretCommand({ SecretId: 'old' }))
    expect(described.DeletedDate).toBeDefined()
  })

  it('honours a window of 30 days, and 0 deletes at once (also a secret already scheduled)', async () => {
    await seedSecret('later')
    await seedSecret('now')
    const app = await buildTestApp()
    const later = await app.inject({ method: 'DELETE', url: url('/later?window=30'), headers: authHeaders })
    expect(later.statusCode).toBe(200)
    const days = (Date.parse(later.json<{ DeletionDate: string }>().DeletionDate) - Date.now()) / 86_400_000
    expect(Math.round(days)).toBe(30)
    expect((await app.inject({ method: 'DELETE', url: url('/now?window=0'), headers: authHeaders })).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: url('/later?window=0'), headers: authHeaders })).statusCode).toBe(200)
    expect(await allSecretNames()).toEqual([])
  })

  it.each(['3', '31', '-1', 'seven', '7.5', '1e1'])('answers window=%s with 400 naming the allowed values, deleting nothing', async (window) => {
    await seedSecret('kept')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: url(`/kept?window=${window}`), headers: authHeaders })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining('window must be 0 (delete at once, without recovery) or 7 to 30 days') })
    expect((await secretsManager().send(new DescribeSecretCommand({ SecretId: 'kept' }))).DeletedDate).toBeUndefined()
  })

  it('answers a second scheduling with 409, and a missing secret with 404', async () => {
    await seedSecret('twice')
    const app = await buildTestApp()
    expect((await app.inject({ method: 'DELETE', url: url('/twice'), headers: authHeaders })).statusCode).toBe(200)
    const again = await app.inject({ method: 'DELETE', url: url('/twice?window=10'), headers: authHeaders })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'Conflict', detail: expect.stringContaining('already scheduled for deletion') })
    expect((await app.inject({ method: 'DELETE', url: url('/nope'), headers: authHeaders })).statusCode).toBe(404)
  })
})

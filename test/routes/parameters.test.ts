import {
  DescribeParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
  type ParameterMetadata,
  type Tag,
} from '@aws-sdk/client-ssm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, TEST_ORG, xAuthHeaders } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

const ORG_TAG = { Key: 'spinup:org', Value: TEST_ORG }
/** The test config's defaultKmsKeyId. */
const DEFAULT_KEY = 'alias/test-key'

function ssm(): SSMClient {
  const client = new SSMClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => client.destroy())
  return client
}

/** Creates a parameter directly in moto, as another tool (or another org) would. */
async function seedParam(name: string, tags?: Tag[], value = 'seeded-value', type: 'String' | 'SecureString' = 'String'): Promise<void> {
  await ssm().send(new PutParameterCommand({ Name: name, Value: value, Type: type, ...(tags ? { Tags: tags } : {}) }))
}

async function allParams(): Promise<ParameterMetadata[]> {
  const out: ParameterMetadata[] = []
  let NextToken: string | undefined
  do {
    const page = await ssm().send(new DescribeParametersCommand({ NextToken }))
    out.push(...(page.Parameters ?? []))
    NextToken = page.NextToken
  } while (NextToken)
  return out
}

const allNames = async () => (await allParams()).map((p) => p.Name!).sort()
const metadataOf = async (name: string) => (await allParams()).find((p) => p.Name === name)
const tagsOf = async (name: string) =>
  (await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList ?? []
const decryptedValue = async (name: string) =>
  (await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value

const url = (path: string) => `/v1/ecs/main/params/${path}`
const enc = encodeURIComponent

describe('POST /params/{prefix}', () => {
  it('creates the seed example as a SecureString with the default key, the org tag first, answering text OK', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url('someprefix'), headers: await xAuthHeaders(), payload: seedFixture('param-create.json') as object })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.body).toBe('OK')
    const name = `/${TEST_ORG}/someprefix/newsecret123`
    expect(await metadataOf(name)).toMatchObject({ Type: 'SecureString', KeyId: DEFAULT_KEY, Description: 'a secret parameter' })
    expect(await decryptedValue(name)).toBe('abc123')
    expect(await tagsOf(name)).toEqual([ORG_TAG, { Key: 'MyKey', Value: 'MyValue' }, { Key: 'Application', Value: 'someprefix' }])
  })

  it('takes keys in any case and honours Type and KeyId; client org tags naming our org are dropped', async () => {
    const app = await buildTestApp()
    const plain = await app.inject({
      method: 'POST',
      url: url('app'),
      headers: authHeaders,
      payload: { name: 'plain', value: 'v1', type: 'String', tags: [{ key: 'spinup:org', value: TEST_ORG }, { key: 'yale:org', value: TEST_ORG }, { key: 'k', value: 'v' }] },
    })
    expect(plain.statusCode).toBe(200)
    expect(await metadataOf(`/${TEST_ORG}/app/plain`)).toMatchObject({ Type: 'String' })
    expect(await tagsOf(`/${TEST_ORG}/app/plain`)).toEqual([ORG_TAG, { Key: 'k', Value: 'v' }])
    const keyed = await app.inject({ method: 'POST', url: url('app'), headers: authHeaders, payload: { Name: 'keyed', Value: 'v', KeyId: 'alias/other' } })
    expect(keyed.statusCode).toBe(200)
    expect(await metadataOf(`/${TEST_ORG}/app/keyed`)).toMatchObject({ Type: 'SecureString', KeyId: 'alias/other' })
  })

  it.each(['spinup:org', 'yale:org'])('refuses a client %s tag naming another org with 403, creating nothing', async (key) => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url('app'), headers: authHeaders, payload: { Name: 'claimed', Value: 'v', Tags: [{ Key: key, Value: 'otherorg' }] } })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ code: 'Forbidden', detail: expect.stringContaining(key) })
    expect(await allNames()).toEqual([])
  })

  it('never overwrites: an existing name is a 409 even with Overwrite, and the value stays', async () => {
    await seedParam(`/${TEST_ORG}/app/taken`, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url('app'), headers: authHeaders, payload: { Name: 'taken', Value: 'new-value', Overwrite: true } })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'Conflict', detail: 'parameter app/taken already exists' })
    expect(res.body).not.toContain('new-value')
    expect(await decryptedValue(`/${TEST_ORG}/app/taken`)).toBe('seeded-value')
  })

  it.each([
    ['a Name with /', { Name: 'a/b', Value: 'v' }, "Name (a/b) cannot contain '/'"],
    ['an empty Name', { Name: '', Value: 'v' }, 'Name is required'],
    ['no Name', { Value: 'v' }, 'Name is required'],
    ['a Name with characters SSM refuses', { Name: 'a b', Value: 'v' }, 'Name "a b" may only contain'],
    ['no Value', { Name: 'x' }, 'Value is required'],
    ['an empty Value', { Name: 'x', Value: '' }, 'Value is required'],
    ['an unknown Type', { Name: 'x', Value: 'v', Type: 'Secret' }, 'Type must be one of String, StringList, SecureString'],
    ['an unknown Tier', { Name: 'x', Value: 'v', Tier: 'Gold' }, 'Tier must be one of'],
    ['a Value of the wrong type', { Name: 'x', Value: 5 }, 'Value must be a string'],
    ['a KeyId on a String', { Name: 'x', Value: 'v', Type: 'String', KeyId: 'alias/k' }, 'KeyId is only allowed with Type SecureString'],
    ['a Standard value over 4 KB', { Name: 'x', Value: 'v'.repeat(4097), Tier: 'Standard' }, 'Value is 4097 bytes'],
    ['a tag without a Value', { Name: 'x', Value: 'v', Tags: [{ Key: 'k' }] }, 'Tags[0].Value is required'],
  ])('answers %s with 400 naming the problem, creating nothing', async (_case, payload, detail) => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: url('app'), headers: authHeaders, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(detail) })
    expect(await allNames()).toEqual([])
  })

  it('answers a {prefix} SSM refuses with 400, not an AWS error', async () => {
    const app = await buildTestApp()
    for (const prefix of [enc('a b'), enc('a/b'), enc('ä')]) {
      const res = await app.inject({ method: 'POST', url: url(prefix), headers: authHeaders, payload: { Name: 'x', Value: 'v' } })
      expect(res.statusCode, prefix).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining('prefix') })
    }
    expect(await allNames()).toEqual([])
  })
})

describe('GET /params/{prefix}', () => {
  it('lists names relative to the prefix across every page, nested ones with their inner slashes', async () => {
    const expected: string[] = []
    for (let i = 0; i < 23; i++) {
      expected.push(`p${String(i).padStart(2, '0')}`)
      await seedParam(`/${TEST_ORG}/app/p${String(i).padStart(2, '0')}`, [ORG_TAG])
    }
    await seedParam(`/${TEST_ORG}/app/sub/deep`) // untagged, under our path: ours
    expected.push('sub/deep')
    await seedParam(`/${TEST_ORG}/app2/sibling`, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url('app'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json<string[]>().sort()).toEqual(expected.sort())
  })

  it('answers [] for a prefix without parameters', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url('empty'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([])
  })
})

describe('DELETE /params/{prefix}', () => {
  it('deletes everything under the prefix and answers Message and Deleted', async () => {
    for (let i = 0; i < 23; i++) await seedParam(`/${TEST_ORG}/app/p${i}`, [ORG_TAG])
    await seedParam(`/${TEST_ORG}/app/nested/one`, [ORG_TAG])
    await seedParam(`/${TEST_ORG}/app2/kept`, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: url('app'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ Message: 'OK', Deleted: 24 })
    expect(await allNames()).toEqual([`/${TEST_ORG}/app2/kept`])
  })

  it('answers Deleted 0 for an empty prefix', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: url('empty'), headers: authHeaders })
    expect(res.json()).toEqual({ Message: 'OK', Deleted: 0 })
  })
})

describe('GET /params/{prefix}/{param}', () => {
  it('answers the seed format: short Name, Go-style LastModifiedDate, tags, never the value', async () => {
    const app = await buildTestApp()
    await app.inject({ method: 'POST', url: url('someprefix'), headers: authHeaders, payload: seedFixture('param-create.json') as object })
    const res = await app.inject({ method: 'GET', url: url('someprefix/newsecret123'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json<Record<string, unknown>>()
    expect(Object.keys(body)).toEqual(['ARN', 'Name', 'Description', 'KeyId', 'Type', 'Tags', 'LastModifiedDate', 'Version'])
    expect(body).toMatchObject({
      ARN: `arn:aws:ssm:us-east-1:123456789012:parameter/${TEST_ORG}/someprefix/newsecret123`,
      Name: 'newsecret123',
      Description: 'a secret parameter',
      KeyId: DEFAULT_KEY,
      Type: 'SecureString',
      Tags: [ORG_TAG, { Key: 'MyKey', Value: 'MyValue' }, { Key: 'Application', Value: 'someprefix' }],
      Version: 1,
    })
    expect(body.LastModifiedDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})? \+0000 UTC$/)
    expect(res.body).not.toContain('abc123')
  })

  it('shows a nested parameter by its encoded relative name, with null for unset members', async () => {
    await seedParam(`/${TEST_ORG}/app/sub/deep`)
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: url(`app/${enc('sub/deep')}`), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ Name: 'sub/deep', Description: null, KeyId: null, Type: 'String', Tags: [] })
  })

  it('answers a missing parameter with 404 and a {param} SSM refuses with 400', async () => {
    const app = await buildTestApp()
    const missing = await app.inject({ method: 'GET', url: url('app/nope'), headers: authHeaders })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'NotFound', detail: 'parameter app/nope not found' })
    for (const param of [enc('a b'), enc('a//b'), enc('/lead')]) {
      const bad = await app.inject({ method: 'GET', url: url(`app/${param}`), headers: authHeaders })
      expect(bad.statusCode, param).toBe(400)
    }
  })
})

describe('PUT /params/{prefix}/{param}', () => {
  it('applies the seed example: new value (type and key kept) and tags on the full name', async () => {
    await seedParam(`/${TEST_ORG}/someprefix/newsecret123`, [ORG_TAG], 'old-value', 'SecureString')
    await ssm().send(new PutParameterCommand({ Name: `/${TEST_ORG}/someprefix/newsecret123`, Value: 'old-value', Type: 'SecureString', KeyId: 'alias/custom', Overwrite: true }))
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('someprefix/newsecret123'), headers: authHeaders, payload: seedFixture('param-update.json') as object })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.body).toBe('OK')
    const name = `/${TEST_ORG}/someprefix/newsecret123`
    expect(await decryptedValue(name)).toBe('abc123')
    expect(await metadataOf(name)).toMatchObject({ Type: 'SecureString', KeyId: 'alias/custom', Version: 3 })
    expect(await tagsOf(name)).toEqual([ORG_TAG, { Key: 'MyKey', Value: 'MyValue' }, { Key: 'Application', Value: 'someprefix' }])
  })

  it('updates only tags, or only the value, and a given Type changes it', async () => {
    const name = `/${TEST_ORG}/app/p`
    await seedParam(name, [ORG_TAG, { Key: 'k', Value: 'old' }])
    const app = await buildTestApp()
    const tagsOnly = await app.inject({ method: 'PUT', url: url('app/p'), headers: authHeaders, payload: { tags: [{ key: 'k', value: 'new' }, ORG_TAG] } })
    expect(tagsOnly.statusCode).toBe(200)
    expect(await tagsOf(name)).toEqual([ORG_TAG, { Key: 'k', Value: 'new' }])
    expect(await decryptedValue(name)).toBe('seeded-value')
    const valueOnly = await app.inject({ method: 'PUT', url: url('app/p'), headers: authHeaders, payload: { value: 'v2', type: 'SecureString' } })
    expect(valueOnly.statusCode).toBe(200)
    expect(await metadataOf(name)).toMatchObject({ Type: 'SecureString', KeyId: DEFAULT_KEY, Version: 2 })
    expect(await decryptedValue(name)).toBe('v2')
  })

  it.each([
    ['nothing to update', { Valeu: 'typo' }, 'nothing to update: give a Value and/or Tags (ignored: Valeu)'],
    ['only an org tag naming our org (dropped)', { Tags: [ORG_TAG] }, 'nothing to update: give a Value and/or Tags'],
    ['an unknown Type', { Value: 'v', Type: 'Binary' }, 'Type must be one of'],
    ['Tags of the wrong type', { Tags: { Key: 'k' } }, 'Tags must be an array'],
  ])('answers %s with 400, changing nothing', async (_case, payload, detail) => {
    const name = `/${TEST_ORG}/app/p`
    await seedParam(name, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('app/p'), headers: authHeaders, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining(detail) })
    expect(await metadataOf(name)).toMatchObject({ Version: 1 })
    expect(await tagsOf(name)).toEqual([ORG_TAG])
  })

  it('refuses an org tag naming another org with 403, changing nothing', async () => {
    const name = `/${TEST_ORG}/app/p`
    await seedParam(name, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('app/p'), headers: authHeaders, payload: { Value: 'v2', Tags: [{ Key: 'spinup:org', Value: 'otherorg' }] } })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ code: 'Forbidden', detail: expect.stringContaining('spinup:org') })
    expect(await metadataOf(name)).toMatchObject({ Version: 1 })
    expect(await tagsOf(name)).toEqual([ORG_TAG])
  })

  it('answers a missing parameter with 404, creating nothing', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: url('app/nope'), headers: authHeaders, payload: { Value: 'v' } })
    expect(res.statusCode).toBe(404)
    expect(await allNames()).toEqual([])
  })
})

describe('DELETE /params/{prefix}/{param}', () => {
  it('deletes the parameter and answers text OK', async () => {
    await seedParam(`/${TEST_ORG}/app/p`, [ORG_TAG])
    await seedParam(`/${TEST_ORG}/app/q`, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: url('app/p'), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.body).toBe('OK')
    expect(await allNames()).toEqual([`/${TEST_ORG}/app/q`])
  })

  it('answers a missing parameter with 404', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'DELETE', url: url('app/nope'), headers: authHeaders })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'NotFound', detail: 'parameter app/nope not found' })
  })
})

describe('the seed spelling with a doubled slash', () => {
  it('PUT /v1/ecs//{account}/params/{prefix}/{param} works', async () => {
    await seedParam(`/${TEST_ORG}/app/p`, [ORG_TAG])
    const app = await buildTestApp()
    const res = await app.inject({ method: 'PUT', url: '/v1/ecs//main/params/app/p', headers: authHeaders, payload: { Value: 'v2' } })
    expect(res.statusCode).toBe(200)
    expect(await decryptedValue(`/${TEST_ORG}/app/p`)).toBe('v2')
  })
})

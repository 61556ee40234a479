/**
 * The served OpenAPI document: every request body described (from the codec's shapes), the seed's
 * examples present on their routes and valid against the served schemas, errors as
 * application/problem+json, public routes without a security requirement; and the routes'
 * validation no stricter than before (the schemas only document).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { requestBodyDocs } from '../../src/schemas/request-bodies.js'
import { authHeaders, buildTestApp, testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { autoscalingUrl } from '../routes/autoscaling-fixtures.js'
import { runServiceTask, seedLoggingService, writeLines } from '../routes/logs-fixtures.js'
import { createSchedule, schedulesUrl } from '../routes/schedules-fixtures.js'
import { createSpaceService, motoClients, seedService } from '../routes/services-fixtures.js'
import { createBody, createTaskDef, SPACE } from '../routes/taskdefs-fixtures.js'
import { bodySchema, documentValidator, operations, resolve, servedDocument, type Json } from './openapi/document.js'

useMotoReset()

/**
 * Answers (or parts of them) the document may leave as open objects, each with why it is free-form,
 * by where `openObjects` names them. None so far: every JSON answer is described.
 */
const FREE_FORM: Readonly<Record<string, string>> = {}

/**
 * Where a 2xx JSON answer of the document is (or holds) an open object: `type: object` with no
 * properties, no pattern properties and no schema for its other keys, nor a `$ref`, `items` or
 * composition that would say more. Follows `$ref`s into the components (each once per answer), and
 * names each place as `METHOD /path STATUS` then the members, `[]` for items and `{}` for map values.
 */
function openObjects(doc: Json): string[] {
  const components = (doc.components as Json).schemas as Record<string, Json>
  const isOpen = (s: Json) =>
    (s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'))) &&
    Object.keys(s.properties ?? {}).length === 0 &&
    Object.keys(s.patternProperties ?? {}).length === 0 &&
    (typeof s.additionalProperties !== 'object' || s.additionalProperties === null) &&
    !['$ref', 'items', 'allOf', 'anyOf', 'oneOf'].some((k) => k in s)
  const found: string[] = []
  const walk = (s: unknown, where: string, seen: Set<string>): void => {
    if (typeof s !== 'object' || s === null) return
    const schema = s as Json
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '')
      if (seen.has(name)) return
      seen.add(name)
      return walk(components[name], where, seen)
    }
    if (isOpen(schema)) found.push(where)
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Json)) walk(v, `${where}.${k}`, seen)
    for (const v of Object.values((schema.patternProperties ?? {}) as Json)) walk(v, where, seen)
    walk(schema.items, `${where}[]`, seen)
    walk(schema.additionalProperties, `${where}{}`, seen)
    for (const k of ['allOf', 'anyOf', 'oneOf']) for (const m of (schema[k] ?? []) as unknown[]) walk(m, where, seen)
  }
  for (const { method, path, op } of operations(doc)) {
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const json = (response.content as Record<string, Json> | undefined)?.['application/json']
      if (/^2\d\d$/.test(status) && json) walk(json.schema, `${method.toUpperCase()} ${path} ${status}`, new Set())
    }
  }
  return found
}

const seedDir = new URL('../fixtures/seed/', import.meta.url)
const seedRequestBodies = readdirSync(seedDir)
  .filter((f) => f.endsWith('.json') && !f.includes('response'))
  .map((f) => JSON.parse(readFileSync(new URL(f, seedDir), 'utf8')) as unknown)

// One app serves the document to the tests that only read it (building it is the slow part).
let reader: FastifyInstance
let served: Json
let storeDir: string
beforeAll(async () => {
  const config = await testConfig()
  storeDir = dirname(config.operations.sqlitePath)
  reader = await buildApp({ config, logger: false })
  served = await servedDocument(reader)
})
afterAll(async () => {
  await reader.close()
  rmSync(storeDir, { recursive: true, force: true })
})

describe('the OpenAPI document', () => {
  it('describes every request body: none is an empty open object', async () => {
    const doc = served
    const withBodies = operations(doc).filter(({ op }) => bodySchema(op) !== undefined)
    expect(withBodies.length).toBeGreaterThanOrEqual(Object.keys(requestBodyDocs).length)
    for (const { method, path, op } of withBodies) {
      const schema = resolve(doc, bodySchema(op)!)
      const properties = Object.keys((schema.properties ?? {}))
      expect(properties.length, `${method.toUpperCase()} ${path}`).toBeGreaterThan(0)
    }
    const createBody = resolve(doc, bodySchema((doc.paths as Record<string, Record<string, Json>>)['/v1/ecs/{account}/services']!.post!)!)
    expect(Object.keys(createBody.properties as Json)).toEqual(['Cluster', 'TaskDefinition', 'Service', 'ServiceRegistry', 'Credentials', 'Tags'])
    // Nested AWS shapes with their types, enums, maps and required members.
    const schemas = (doc.components as Json).schemas as Record<string, Json>
    const register = schemas['ecs.RegisterTaskDefinitionRequest']!
    expect(register['x-aws-required']).toEqual(['Family', 'ContainerDefinitions'])
    expect((register.properties as Json).NetworkMode).toEqual({ type: 'string', enum: ['awsvpc', 'bridge', 'host', 'none'] })
    expect((register.properties as Json).RequiresCompatibilities).toEqual({
      type: 'array',
      items: { type: 'string', enum: ['EC2', 'EXTERNAL', 'FARGATE', 'MANAGED_INSTANCES'] },
    })
    const logOptions = ((schemas['ecs.LogConfiguration']!.properties as Json).Options as Json)
    expect(logOptions).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } })
    expect(((schemas['ecs.ContainerDefinition']!.properties as Json).Memory as Json)).toEqual({ type: 'number' })
    // Said once, for the whole document.
    expect(String((doc.info as Json).description).match(/matched case-insensitively/g)).toHaveLength(1)
  })

  it("carries every seed example as a named example of its route, valid against the route's schema", async () => {
    const doc = served
    const validate = documentValidator(doc)
    const shown: unknown[] = []
    for (const key of Object.keys(requestBodyDocs)) {
      const [method, path] = key.split(' ') as [string, string]
      const op = (doc.paths as Record<string, Record<string, Json>>)[path]![method.toLowerCase()]!
      const media = (op.requestBody as { content: Record<string, { schema: Json; examples?: Record<string, { value: unknown }> }> }).content[
        'application/json'
      ]!
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        expect(validate(media.schema, example.value), `${key} example ${name}`).toBeUndefined()
        shown.push(example.value)
      }
    }
    // Each request body of the seed, exactly as written, is among them.
    for (const body of seedRequestBodies) expect(shown).toContainEqual(body)
    expect(shown).toHaveLength(seedRequestBodies.length)
  })

  it("validates keys in any case against the member's schema", async () => {
    const doc = served
    const validate = documentValidator(doc)
    const schema = { $ref: '#/components/schemas/ecs.RegisterTaskDefinitionRequest' }
    expect(validate(schema, { networkmode: 'awsvpc', NETWORKMODE: 'bridge' })).toBeUndefined()
    expect(validate(schema, { networkmode: 'nonsense' })).toMatch(/enum|allowed values/)
    expect(validate(schema, { containerdefinitions: [{ memory: 'lots' }] })).toMatch(/number/)
  })

  it('documents errors as application/problem+json and public routes without a security requirement', async () => {
    const doc = served
    const publicPaths = ['/v1/ecs/ping', '/v1/ecs/version', '/v1/ecs/metrics', '/v1/ecs/livez', '/v1/ecs/readyz', '/v1/ecs/openapi.json']
    for (const { method, path, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue
        expect(Object.keys(response.content as Json), `${method} ${path} ${status}`).toEqual(['application/problem+json'])
        expect((response.content as Record<string, Json>)['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/Problem' })
      }
      if (publicPaths.includes(path)) expect(op.security, path).toEqual([])
      else expect(op.security, path).toBeUndefined()
    }
    expect(doc.security).toEqual([{ authToken: [] }, { bearer: [] }])
    expect(((doc.components as Json).schemas as Json).Problem).toMatchObject({ properties: { code: { type: 'string' } } })
  })

  it('keeps validating bodies as before: keys in any case and unknown keys are still accepted', async () => {
    const app = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/secrets',
      headers: authHeaders,
      payload: { name: 'case-check', SECRETSTRING: 'x', unknownThing: [1, 2] },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ Name: 'case-check' })
  })

  it('describes the AWS objects of the answers, and a real answer validates against its schema', async () => {
    const paths = served.paths as Record<string, Record<string, Json>>
    const ok = (path: string, method: string) =>
      ((paths[path]![method]!.responses as Record<string, Json>)['200']!.content as Record<string, { schema: Json }>)['application/json']!.schema
    // A create answers either its dry run's plan or the created objects.
    const [plan, created] = ok('/v1/ecs/{account}/services', 'post').anyOf as [Json, Json]
    expect(plan).toEqual({ $ref: '#/components/schemas/Plan' })
    expect((created.properties as Json).Service).toEqual({ $ref: '#/components/schemas/ecs.Service' })
    expect((created.properties as Json).Cluster).toEqual({ anyOf: [{ $ref: '#/components/schemas/ecs.Cluster' }, { type: 'null' }] })
    expect(ok('/v1/ecs/{account}/clusters/{cluster}/services/{service}/events', 'get')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ecs.ServiceEvent' },
    })

    await seedService(motoClients().ecs, 'space1', 'web')
    const res = await reader.inject({ method: 'GET', url: '/v1/ecs/main/clusters/space1/services/web', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const validate = documentValidator(served)
    const schema = ok('/v1/ecs/{account}/clusters/{cluster}/services/{service}', 'get')
    expect(validate(schema, res.json())).toBeUndefined()
    expect(validate(schema, { ...res.json<Json>(), LaunchType: 'ROCKET' })).toMatch(/allowed values/)
  })

  it('describes the task definition and task answers and a plain service delete with their AWS shapes; real answers validate', async () => {
    const paths = served.paths as Record<string, Record<string, Json>>
    const ok = (path: string, method: string) =>
      ((paths[path]![method]!.responses as Record<string, Json>)['200']!.content as Record<string, { schema: Json }>)['application/json']!.schema
    const taskdef = '/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}'
    expect((ok(taskdef, 'get').properties as Json).TaskDefinition).toEqual({ $ref: '#/components/schemas/ecs.TaskDefinition' })
    expect((ok(taskdef, 'get').properties as Json).Cluster).toEqual({ $ref: '#/components/schemas/ecs.Cluster' })
    const [, created] = ok('/v1/ecs/{account}/taskdefs', 'post').anyOf as [Json, Json]
    expect((created.properties as Json).TaskDefinition).toEqual({ $ref: '#/components/schemas/ecs.TaskDefinition' })
    const [, updated] = ok(taskdef, 'put').anyOf as [Json, Json]
    expect((updated.properties as Json).TaskDefinition).toEqual({ $ref: '#/components/schemas/ecs.TaskDefinition' })
    const tasks = { type: 'array', items: { $ref: '#/components/schemas/ecs.Task' } }
    for (const [path, method] of [
      [`${taskdef}/tasks`, 'post'],
      ['/v1/ecs/{account}/clusters/{cluster}/tasks/{task}', 'get'],
      [`${taskdef}/tasks/{task}`, 'get'],
    ] as const) {
      expect((ok(path, method).properties as Json).Tasks, `${method} ${path}`).toEqual(tasks)
      expect((ok(path, method).properties as Json).Failures, `${method} ${path}`).toEqual({ type: 'array', items: { $ref: '#/components/schemas/ecs.Failure' } })
    }
    expect((ok('/v1/ecs/{account}/clusters/{cluster}/services/{service}', 'delete').properties as Json).Service).toEqual({ $ref: '#/components/schemas/ecs.Service' })

    // A fresh app: the space's subnets are those of moto's default VPC after this test's reset.
    const app = await buildTestApp()
    const validate = documentValidator(served)
    const createdAnswer = await createTaskDef(app)
    expect(validate(created, createdAnswer)).toBeUndefined()
    await createTaskDef(app, createBody({ credentials: undefined }))
    const shown = await app.inject({ method: 'GET', url: `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`, headers: authHeaders })
    expect(shown.statusCode, shown.body).toBe(200)
    expect(validate(ok(taskdef, 'get'), shown.json())).toBeUndefined()
    expect(validate(ok(taskdef, 'get'), { ...shown.json<Json>(), TaskDefinition: { NetworkMode: 'tunnel' } })).toMatch(/allowed values/)

    const run = await app.inject({ method: 'POST', url: `/v1/ecs/main/clusters/${SPACE}/taskdefs/job/tasks`, headers: authHeaders, payload: {} })
    expect(run.statusCode, run.body).toBe(200)
    expect(validate(ok(`${taskdef}/tasks`, 'post'), run.json())).toBeUndefined()
    const taskArn = run.json<{ Tasks: Array<{ TaskArn: string }> }>().Tasks[0]!.TaskArn
    const task = await app.inject({ method: 'GET', url: `/v1/ecs/main/clusters/${SPACE}/tasks/${taskArn.split('/').pop()}`, headers: authHeaders })
    expect(task.statusCode, task.body).toBe(200)
    const taskSchema = ok('/v1/ecs/{account}/clusters/{cluster}/tasks/{task}', 'get')
    expect(validate(taskSchema, task.json())).toBeUndefined()
    const [first] = task.json<{ Tasks: Json[] }>().Tasks
    expect(validate(taskSchema, { Tasks: [{ ...first, LaunchType: 'ROCKET' }], Failures: [] })).toMatch(/allowed values/)

    await seedService(motoClients().ecs, 'space2', 'gone')
    const deleted = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space2/services/gone', headers: authHeaders })
    expect(deleted.statusCode, deleted.body).toBe(200)
    expect(validate(ok('/v1/ecs/{account}/clusters/{cluster}/services/{service}', 'delete'), deleted.json())).toBeUndefined()
  })

  it('describes every JSON answer: none is (or holds) an open object unless it is free-form', () => {
    const open = openObjects(served)
    expect(open.filter((where) => !(where in FREE_FORM))).toEqual([])
    // Each free-form one still is: a reason for one that is no longer open is stale.
    for (const where of Object.keys(FREE_FORM)) expect(open, where).toContain(where)
    // The scan does see one: a route's answer before the document describes it.
    expect(openObjects({ ...served, paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } } } } } } })).toEqual([
      'GET /x 200',
    ])
  })

  it('describes the answers of secret update, service list and delete (also recursive), logs, schedules and autoscaling with their AWS shapes; real answers validate', async () => {
    const paths = served.paths as Record<string, Record<string, Json>>
    const answer = (path: string, method: string, status = '200') =>
      ((paths[path]![method]!.responses as Record<string, Json>)[status]!.content as Record<string, { schema: Json }>)['application/json']!.schema
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
    const service = '/v1/ecs/{account}/clusters/{cluster}/services/{service}'
    const schedules = '/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules'
    expect(answer('/v1/ecs/{account}/secrets/{secret}', 'put')).toEqual(ref('secretsmanager.PutSecretValueResponse'))
    expect(answer('/v1/ecs/{account}/clusters/{cluster}/services', 'get').anyOf).toEqual([
      { type: 'array', items: { type: 'string' } },
      { type: 'array', items: ref('ecs.Service') },
    ])
    for (const status of ['200', '202']) {
      const deleted = answer(service, 'delete', status).properties as Json
      expect(deleted.Service, status).toEqual(ref('ecs.Service'))
      expect(deleted.Cluster, status).toEqual({ anyOf: [ref('ecs.Cluster'), { type: 'null' }] })
    }
    // The 202 keeps its headers.
    expect(Object.keys((paths[service]!.delete!.responses as Record<string, Json>)['202']!.headers as Json)).toEqual(['Location', 'X-Flywheel-Task'])
    const [, updated] = answer(service, 'put').anyOf as [Json, Json]
    expect((updated.properties as Json).Tags).toEqual({ type: 'array', items: ref('ecs.Tag') })
    expect((updated.properties as Json).CloudwatchLogGroups).toEqual({ type: 'array', items: { type: 'string' } })
    const [single, merged] = answer(`${service}/logs`, 'get').anyOf as [Json, Json]
    expect((single.properties as Json).Events).toEqual({ type: 'array', items: ref('cloudwatchlogs.OutputLogEvent') })
    expect(((merged.properties as Json).Events as Json).items).toMatchObject({ properties: { TaskId: { type: 'string' } } })
    expect(((answer(schedules, 'post', '201').properties as Json).Overrides)).toEqual({ anyOf: [ref('ecs.TaskOverride'), { type: 'null' }] })
    expect((((answer(schedules, 'get').items as Json).properties as Json).Overrides)).toEqual({ anyOf: [ref('ecs.TaskOverride'), { type: 'null' }] })
    const autoscaling = answer(`${service}/autoscaling`, 'get')
    expect((autoscaling.properties as Json).ScalingActivities).toEqual({ type: 'array', items: ref('applicationautoscaling.ScalingActivity') })

    // A fresh app: the space's subnets are those of moto's default VPC after this test's reset.
    const app = await buildTestApp()
    const validate = documentValidator(served)
    const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, status: number, payload?: unknown) => {
      const res = await app.inject({ method, url, headers: authHeaders, ...(payload === undefined ? {} : { payload: payload as object }) })
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
      return res.json<Json>()
    }

    await call('POST', '/v1/ecs/main/secrets', 200, { Name: 'api-key', SecretString: 'one' })
    const newValue = await call('PUT', '/v1/ecs/main/secrets/api-key', 200, { Secret: 'two' })
    expect(newValue).toMatchObject({ Name: 'api-key', VersionStages: ['AWSCURRENT'] })
    expect(validate(answer('/v1/ecs/{account}/secrets/{secret}', 'put'), newValue)).toBeUndefined()
    // A tags-only update answers no body at all, as the response's description says.
    const tagsOnly = await app.inject({ method: 'PUT', url: '/v1/ecs/main/secrets/api-key', headers: authHeaders, payload: { Tags: [{ Key: 'team', Value: 'a' }] } })
    expect([tagsOnly.statusCode, tagsOnly.body]).toEqual([200, ''])
    expect(String((paths['/v1/ecs/{account}/secrets/{secret}']!.put!.responses as Record<string, Json>)['200']!.description)).toMatch(/empty body when only tags changed/)
    expect(validate(answer('/v1/ecs/{account}/secrets/{secret}', 'put'), { VersionStages: 'AWSCURRENT' })).toMatch(/array/)

    const { taskDefinitionArn } = await seedLoggingService(motoClients())
    const taskId = await runServiceTask(motoClients(), taskDefinitionArn)
    await writeLines(motoClients(), taskId, [[Date.now() - 60_000, 'hello'], [Date.now() - 30_000, 'world']])
    const logs = await call('GET', `/v1/ecs/main/clusters/space1/services/web/logs?task=${taskId}&container=app`, 200)
    expect((logs.Events as Json[]).map((e) => e.Message)).toEqual(['hello', 'world'])
    expect(validate(answer(`${service}/logs`, 'get'), logs)).toBeUndefined()
    expect(validate(single, { ...logs, Events: [{ Timestamp: 'yesterday' }] })).toMatch(/number/)

    const all = await call('GET', '/v1/ecs/main/clusters/space1/services?all=true', 200)
    expect(all).toHaveLength(1)
    expect(validate(answer('/v1/ecs/{account}/clusters/{cluster}/services', 'get'), all)).toBeUndefined()
    expect(validate(answer('/v1/ecs/{account}/clusters/{cluster}/services', 'get'), [{ ...(all as unknown as Json[])[0], LaunchType: 'ROCKET' }])).toMatch(
      /allowed values/,
    )
    const arns = await call('GET', '/v1/ecs/main/clusters/space1/services', 200)
    expect(validate(answer('/v1/ecs/{account}/clusters/{cluster}/services', 'get'), arns)).toBeUndefined()

    // moto keeps no scaling activities: the answer's empty list, and one as AWS would give it.
    await call('PUT', autoscalingUrl(), 200, { Min: 1, Max: 3, Targets: { Cpu: 60 } })
    const autoscaled = await call('GET', autoscalingUrl(), 200)
    expect(validate(autoscaling, autoscaled)).toBeUndefined()
    const activity = {
      ActivityId: 'a1',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/space1/web',
      ScalableDimension: 'ecs:service:DesiredCount',
      Description: 'Setting desired count to 2.',
      Cause: 'monitor alarm',
      StartTime: '2026-01-02T03:04:05.000Z',
      StatusCode: 'Successful',
    }
    expect(validate(autoscaling, { ...autoscaled, ScalingActivities: [activity] })).toBeUndefined()
    expect(validate(autoscaling, { ...autoscaled, ScalingActivities: [{ ...activity, StatusCode: 'Done' }] })).toMatch(/allowed values/)

    const recursive = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space1/services/web?recursive=true', headers: authHeaders })
    expect(recursive.statusCode, recursive.body).toBe(202)
    expect(validate(answer(service, 'delete', '202'), recursive.json())).toBeUndefined()
    expect(validate(answer(service, 'delete', '202'), { ...recursive.json<Json>(), Cluster: { Status: 7 } })).toMatch(/string/)

    await createSpaceService(app, 'api')
    const update = await call('PUT', '/v1/ecs/main/clusters/space1/services/api', 200, { Tags: [{ Key: 'team', Value: 'a' }], ForceNewDeployment: true })
    expect(update.Tags).toContainEqual({ Key: 'team', Value: 'a' })
    expect(validate(answer(service, 'put'), update)).toBeUndefined()
    expect(validate(answer(service, 'put'), { ...update, Tags: [{ Key: 1 }] })).toMatch(/string/)

    await createTaskDef(app)
    const scheduled = await createSchedule(app, { name: 'nightly', expression: 'cron(0 3 * * ? *)', overrides: { containerOverrides: [{ name: 'main', command: ['run'] }] } })
    expect(scheduled.Overrides).toMatchObject({ ContainerOverrides: [{ Name: 'main', Command: ['run'] }] })
    expect(validate(answer(schedules, 'post', '201'), scheduled)).toBeUndefined()
    const listed = await call('GET', `${schedulesUrl()}`, 200)
    expect(validate(answer(schedules, 'get'), listed)).toBeUndefined()
    expect(validate(answer(schedules, 'get'), [{ ...(listed as unknown as Json[])[0], Overrides: { ContainerOverrides: [{ Command: 'run' }] } }])).toMatch(/array/)
  })
})

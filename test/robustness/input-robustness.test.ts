/**
 * Inputs that once answered a 5xx, each now a 4xx naming the field (or, where only the emulator
 * fails on a valid input, a clean 502), through the app against moto.
 */
import { ListTasksCommand } from '@aws-sdk/client-ecs'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import { beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { awsState, createBody, createTaskDef, expectProblem, get, motoClients, post, SPACE } from '../routes/taskdefs-fixtures.js'

useMotoReset()
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

const tasksUrl = (family = 'job') => `/v1/ecs/main/clusters/${SPACE}/taskdefs/${family}/tasks`

describe('numbers in the query', () => {
  it('refuses a limit that reads as a non-finite number (the validator coerces it to Infinity and skips the bounds)', async () => {
    const app = await buildTestApp()
    for (const limit of ['1e400', 'Infinity', '-Infinity', '-1e999']) {
      const res = await get(app, `/v1/ecs/main/operations?limit=${limit}`)
      expectProblem(res, 400, 'BadRequest', /^querystring\/limit must be a finite number$/)
      expect(res.json<{ path: string }>().path).toBe('querystring/limit')
    }
    expect((await get(app, '/v1/ecs/main/operations?limit=1e2')).statusCode).toBe(200)
  })
})

describe('POST /secrets with AddReplicaRegions', () => {
  it('refuses a replica without a region name before Secrets Manager sees it; nothing is created', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    for (const replica of [{}, { KmsKeyId: 'alias/x' }, { Region: '' }, { Region: ' ' }, { Region: '€' }, { Region: '../..' }]) {
      const res = await post(app, '/v1/ecs/main/secrets', { Name: 'replicated', SecretString: 'x', AddReplicaRegions: [{ Region: 'us-west-2' }, replica] })
      expectProblem(res, 400, 'BadRequest', /^AddReplicaRegions\[1\]\.Region must be an AWS region name/)
    }
    expect((await c.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList).toEqual([])
  })

  it('still replicates into a named region', async () => {
    const app = await buildTestApp()
    const res = await post(app, '/v1/ecs/main/secrets', { Name: 'replicated', SecretString: 'x', AddReplicaRegions: [{ Region: 'us-west-2' }] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<{ ReplicationStatus: { Region: string }[] }>().ReplicationStatus[0]?.Region).toBe('us-west-2')
  })
})

describe('repository credentials with AddReplicaRegions', () => {
  it('refuses an entry without a region name on task definition and service creates; nothing is created', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    const credentials = (replica: object) => ({ api: { Name: 'api-cred', SecretString: '{"username":"u","password":"p"}', AddReplicaRegions: [replica] } })
    for (const replica of [{}, { Region: '' }, { Region: '€' }]) {
      expectProblem(
        await post(app, '/v1/ecs/main/taskdefs', createBody({ credentials: credentials(replica) })),
        400,
        'BadRequest',
        /^credentials\.api\.AddReplicaRegions\[0\]\.Region must be an AWS region name/,
      )
      const service = { ...createBody({ credentials: credentials(replica) }), service: { serviceName: 'www', desiredCount: 1 } }
      expectProblem(await post(app, '/v1/ecs/main/services', service), 400, 'BadRequest', /^credentials\.api\.AddReplicaRegions\[0\]\.Region/)
    }
    expect(await awsState(c)).toEqual(before)
  })
})

describe('POST .../tasks with a capacity provider strategy', () => {
  it('refuses a strategy item without a Fargate capacity provider, naming it; nothing runs', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    for (const item of [{}, { capacityProvider: '' }, { capacityProvider: 'x' }, { capacityProvider: 'EC2', weight: 1 }]) {
      const res = await post(app, tasksUrl(), { Count: 1, CapacityProviderStrategy: [item] })
      expectProblem(res, 400, 'BadRequest', /^capacityProviderStrategy\[0\]\.capacityProvider must be one of FARGATE, FARGATE_SPOT/)
    }
    expectProblem(
      await post(app, tasksUrl(), { CapacityProviderStrategy: [{ capacityProvider: 'FARGATE' }, { capacityProvider: 'FARGATE' }] }),
      400,
      'BadRequest',
      /capacityProviderStrategy names a capacity provider twice/,
    )
    expect((await c.ecs.send(new ListTasksCommand({ cluster: SPACE }))).taskArns).toEqual([])
    const ok = await post(app, tasksUrl(), { CapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })
    expect(ok.statusCode, ok.body).toBe(200)
  })
})

describe('an AWS answer the SDK cannot read', () => {
  it("is a 502 that names the call, not the parser's message (moto answers RunTask of containers without memory with an HTML 500)", async () => {
    const app = await buildTestApp()
    const containers = [{ name: 'main', image: 'busybox' }]
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { family: 'job', cpu: '256', memory: '512', containerdefinitions: containers } }))
    const res = await post(app, tasksUrl(), { Count: 1 })
    expectProblem(res, 502, 'BadGateway', /^ECS\.RunTask: unreadable answer from AWS \(HTTP 500\)$/)
    expect(res.body).not.toMatch(/Unexpected token|Deserialization|\$response|SyntaxError/)
  })
})

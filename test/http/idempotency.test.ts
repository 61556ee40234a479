/**
 * Idempotency-Key on POST, against moto and the SQLite operation store: a retried create runs once,
 * a replay answers the same bytes marked Idempotent-Replayed, another body with the key is a 422, a
 * duplicate while the first runs a 409, and the key holds across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ListServicesCommand, ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { authHeaders, buildTestApp, testConfig, testWorkflowHooks } from '../harness/app.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { captureAwsCalls } from '../routes/aws-fault.js'
import { createBody, createTaskDef, motoClients } from '../routes/taskdefs-fixtures.js'

useMotoReset()
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

/** AWS calls the app made so far, by `service:operation` (its own metrics). */
async function awsCalls(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    const key = `${String(v.labels.service)}:${String(v.labels.operation)}`
    out[key] = (out[key] ?? 0) + v.value
  }
  return out
}

function post(app: FastifyInstance, url: string, body: unknown, key?: string, headers: Record<string, string> = authHeaders) {
  return app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(body),
    headers: { ...headers, 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) },
  })
}

const serviceBody = {
  cluster: { clusterName: 'space1' },
  taskDefinition: { family: 'web-family', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: 'nginx:alpine' }] },
  service: { serviceName: 'web', desiredCount: 1 },
}

async function secretNames(): Promise<string[]> {
  const out = await motoClients().secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))
  return (out.SecretList ?? []).map((s) => s.Name!).sort()
}

describe('Idempotency-Key on POST', () => {
  it('runs a retried service create once: one service, no AWS call for the replay, the same answer marked Idempotent-Replayed', async () => {
    const app = await buildTestApp()
    const creates = captureAwsCalls(app, 'ecs', 'CreateService')
    const first = await post(app, '/v1/ecs/main/services', serviceBody, 'create-web-1')
    expect(first.statusCode, first.body).toBe(200)
    // AWS gets a client token derived from the key (CreateService takes up to 36 characters).
    expect(creates).toEqual([expect.objectContaining({ clientToken: expect.stringMatching(/^[0-9a-f]{32}$/) })])
    expect(first.headers['idempotent-replayed']).toBeUndefined()
    const callsAfterFirst = await awsCalls(app)

    // The same body with its keys in another order is the same request.
    const reordered = { service: serviceBody.service, taskDefinition: serviceBody.taskDefinition, cluster: serviceBody.cluster }
    const retry = await post(app, '/v1/ecs/main/services', reordered, 'create-web-1')
    expect(retry.statusCode).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.headers['content-type']).toBe(first.headers['content-type'])
    expect(retry.body).toBe(first.body)
    expect(retry.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
    expect(await awsCalls(app)).toEqual(callsAfterFirst)

    const services = await motoClients().ecs.send(new ListServicesCommand({ cluster: 'space1' }))
    expect(services.serviceArns).toHaveLength(1)
    // The replay changed nothing, so the trail has the one create.
    const audit = await app.inject({ method: 'GET', url: '/v1/ecs/main/audit', headers: authHeaders })
    expect(audit.json<{ Target: string; RequestId: string }[]>()).toEqual([
      expect.objectContaining({ Target: 'clusters/space1/services/web', RequestId: first.headers['x-request-id'] }),
    ])
  })

  it('runs a retried task run once, and another key runs again', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    const url = '/v1/ecs/main/clusters/space1/taskdefs/job/tasks'
    const runs = captureAwsCalls(app, 'ecs', 'RunTask')
    const first = await post(app, url, { Count: 1 }, 'run-job-1')
    expect(first.statusCode, first.body).toBe(200)
    expect(runs).toEqual([expect.objectContaining({ clientToken: expect.stringMatching(/^[0-9a-f]{32}$/) })])
    const retry = await post(app, url, { Count: 1 }, 'run-job-1')
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.json()).toEqual(first.json())
    const tasks = async () => (await motoClients().ecs.send(new ListTasksCommand({ cluster: 'space1', family: 'job' }))).taskArns ?? []
    expect(await tasks()).toHaveLength(1)
    expect((await post(app, url, { Count: 1 }, 'run-job-2')).statusCode).toBe(200)
    expect(await tasks()).toHaveLength(2)
    const tokens = runs.map((input) => (input as { clientToken: string }).clientToken)
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).not.toBe(tokens[1])
  })

  it('runs a retried task-definition create and parameter create once: one revision, one parameter, no AWS write for the replays', async () => {
    const app = await buildTestApp()
    const registers = captureAwsCalls(app, 'ecs', 'RegisterTaskDefinition')
    const puts = captureAwsCalls(app, 'ssm', 'PutParameter')

    const taskdef = () => post(app, '/v1/ecs/main/taskdefs', createBody(), 'taskdef-job-1')
    const first = await taskdef()
    expect(first.statusCode, first.body).toBe(200)
    const retry = await taskdef()
    expect(retry.statusCode).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.body).toBe(first.body)
    expect(registers).toHaveLength(1)
    const revisions = await motoClients().ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'job' }))
    expect(revisions.taskDefinitionArns).toHaveLength(1)

    const param = () => post(app, '/v1/ecs/main/params/app', { Name: 'url', Value: 'https://example.org' }, 'param-url-1')
    const created = await param()
    expect(created.statusCode, created.body).toBe(200)
    const again = await param()
    expect(again.statusCode).toBe(200)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(created.body)
    expect(puts).toHaveLength(1)
    const listed = await app.inject({ method: 'GET', url: '/v1/ecs/main/params/app', headers: authHeaders })
    expect(listed.json()).toEqual(['url'])
  })

  it('answers 422 naming the header for the same key with another body, and creates nothing', async () => {
    const app = await buildTestApp()
    expect((await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v1' }, 'k')).statusCode).toBe(200)
    const res = await post(app, '/v1/ecs/main/secrets', { Name: 'two', SecretString: 'v1' }, 'k')
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({ code: 'UnprocessableEntity', field: 'Idempotency-Key', detail: expect.stringContaining('Idempotency-Key') })
    expect(await secretNames()).toEqual(['one'])
  })

  it('keeps keys per token: another caller with the same key runs its own request', async () => {
    const app = await buildTestApp({ tokens: ['second-token-0123456789'] })
    const other = { authorization: 'Bearer second-token-0123456789' }
    expect((await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v' }, 'shared')).statusCode).toBe(200)
    const res = await post(app, '/v1/ecs/main/secrets', { Name: 'two', SecretString: 'v' }, 'shared', other)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['idempotent-replayed']).toBeUndefined()
    expect(await secretNames()).toEqual(['one', 'two'])
  })

  it('answers 409 with Retry-After to a duplicate while the first still runs, then replays its answer', async () => {
    const app = await buildTestApp()
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let entered!: () => void
    const running = new Promise<void>((resolve) => (entered = resolve))
    testWorkflowHooks.current = {
      onStepStart: async () => {
        entered()
        await held
      },
    }
    onTestFinished(() => {
      testWorkflowHooks.current = undefined
    })
    const first = post(app, '/v1/ecs/main/services', serviceBody, 'slow-create')
    await running
    const duplicate = await post(app, '/v1/ecs/main/services', serviceBody, 'slow-create')
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.headers['retry-after']).toBe('1')
    expect(duplicate.json()).toMatchObject({ code: 'Conflict', field: 'Idempotency-Key' })
    testWorkflowHooks.current = undefined
    release()
    const done = await first
    expect(done.statusCode, done.body).toBe(200)
    const later = await post(app, '/v1/ecs/main/services', serviceBody, 'slow-create')
    expect(later.headers['idempotent-replayed']).toBe('true')
    expect(later.body).toBe(done.body)
  })

  it('does not keep a refused request that never reached its handler: a fixed body runs with the same key', async () => {
    const app = await buildTestApp()
    // 401 and schema failures are answered before the key is claimed.
    const unauthorized = await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v' }, 'k1', { authorization: 'Bearer nope-nope-nope' })
    expect(unauthorized.statusCode).toBe(401)
    const ok = await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v' }, 'k1')
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.headers['idempotent-replayed']).toBeUndefined()
  })

  it('does not keep a 5xx answer: a retry with the key runs again (injected failure)', async () => {
    const app = await buildTestApp()
    testWorkflowHooks.current = {
      onStepStart: () => {
        throw new Error('injected failure')
      },
    }
    onTestFinished(() => {
      testWorkflowHooks.current = undefined
    })
    const failed = await post(app, '/v1/ecs/main/services', serviceBody, 'after-5xx')
    expect(failed.statusCode).toBe(500)
    testWorkflowHooks.current = undefined
    const retry = await post(app, '/v1/ecs/main/services', serviceBody, 'after-5xx')
    expect(retry.statusCode, retry.body).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBeUndefined()
    const services = await motoClients().ecs.send(new ListServicesCommand({ cluster: 'space1' }))
    expect(services.serviceArns).toHaveLength(1)
  })

  it('refuses a key over 255 characters, an empty one, or one with control characters (400 naming the header); nothing is created', async () => {
    const app = await buildTestApp()
    for (const key of ['k'.repeat(256), '', 'tab\there']) {
      const res = await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v' }, key)
      expect(res.statusCode, JSON.stringify(key)).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', field: 'Idempotency-Key', detail: expect.stringContaining('Idempotency-Key') })
    }
    expect((await post(app, '/v1/ecs/main/secrets', { Name: 'one', SecretString: 'v' }, 'k'.repeat(255))).statusCode).toBe(200)
    expect(await secretNames()).toEqual(['one'])
  })

  it('holds a key across a restart on the same SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-api-idem-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const config = await testConfig({ operations: { sqlitePath: join(dir, 'operations.sqlite') } })
    const before = await buildApp({ config, logger: false })
    const first = await post(before, '/v1/ecs/main/secrets', { Name: 'restart', SecretString: 'v' }, 'across-restart')
    expect(first.statusCode, first.body).toBe(200)
    await before.close()

    const after = await buildApp({ config, logger: false })
    onTestFinished(() => after.close())
    const retry = await post(after, '/v1/ecs/main/secrets', { Name: 'restart', SecretString: 'v' }, 'across-restart')
    expect(retry.statusCode).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.body).toBe(first.body)
    expect(await secretNames()).toEqual(['restart'])
  })
})

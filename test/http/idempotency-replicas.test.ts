/**
 * Idempotency keys shared by two replicas through Redis: a create retried on the other replica is
 * answered from the kept answer, and both replicas' audit trails are one.
 */
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { startRedis, type RedisServer } from '../harness/redis.js'
import { motoClients } from '../routes/taskdefs-fixtures.js'

useMotoReset()

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis.stop()
})
beforeEach(async () => {
  await redis.flush()
})

function post(app: FastifyInstance, body: unknown, key: string) {
  return app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', payload: body as object, headers: { ...authHeaders, 'idempotency-key': key } })
}

describe('Idempotency-Key on two replicas (Redis)', () => {
  it('answers a retry on the other replica from the kept answer; one secret; 422 there for another body', async () => {
    const a = await buildTestApp({ redis: redis.url })
    const b = await buildTestApp({ redis: redis.url })
    const first = await post(a, { Name: 'replicated-key', SecretString: 'v' }, 'replica-key')
    expect(first.statusCode, first.body).toBe(200)
    const retry = await post(b, { Name: 'replicated-key', SecretString: 'v' }, 'replica-key')
    expect(retry.statusCode).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.body).toBe(first.body)
    expect((await post(b, { Name: 'other', SecretString: 'v' }, 'replica-key')).statusCode).toBe(422)
    const listed = await motoClients().secrets.send(new ListSecretsCommand({}))
    expect((listed.SecretList ?? []).map((s) => s.Name)).toEqual(['replicated-key'])

    // One audit trail: the change made on a is read on b, once.
    const audit = await b.inject({ method: 'GET', url: '/v1/ecs/main/audit', headers: authHeaders })
    expect(audit.statusCode, audit.body).toBe(200)
    expect(audit.json<{ Target: string; Status: number }[]>().filter((r) => r.Status === 200)).toEqual([
      expect.objectContaining({ Target: 'secrets/replicated-key', Status: 200 }),
    ])
  })

  it('answers 409 on one replica while the other still runs the request with the key', async () => {
    const a = await buildTestApp({ redis: redis.url })
    const b = await buildTestApp({ redis: redis.url })
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
    const body = {
      cluster: { clusterName: 'space1' },
      taskDefinition: { family: 'web-family', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: 'nginx:alpine' }] },
      service: { serviceName: 'web', desiredCount: 1 },
    }
    const send = (app: FastifyInstance) =>
      app.inject({ method: 'POST', url: '/v1/ecs/main/services', payload: body, headers: { ...authHeaders, 'idempotency-key': 'two-replicas' } })
    const first = send(a)
    await running
    const duplicate = await send(b)
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.headers['retry-after']).toBe('1')
    testWorkflowHooks.current = undefined
    release()
    expect((await first).statusCode).toBe(200)
    const replay = await send(b)
    expect(replay.headers['idempotent-replayed']).toBe('true')
  })
})

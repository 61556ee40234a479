/**
 * Idempotency keys shared by two replicas through Redis: a create retried on the other replica is
 * answered from the kept answer, and both replicas' audit trails are one.
 */
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
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
})

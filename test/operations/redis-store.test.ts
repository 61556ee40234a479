import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import { redactRedisUrl } from '../../src/operations/redis-connection.js'
import { RedisOperationStore } from '../../src/operations/redis-store.js'
import type { OperationStore } from '../../src/operations/store.js'
import { startRedis, type RedisServer } from '../harness/redis.js'
import { storeContract } from './store-contract.js'

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

const opened: OperationStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

describe('Redis operation store', () => {
  storeContract(async () => {
    const store = new RedisOperationStore({ url: redis.url, org: 'testorg', log: pino({ level: 'silent' }), finishedTtlMs: 3_600_000 })
    opened.push(store)
    await store.connected(5_000)
    return store
  })
})

describe('redactRedisUrl', () => {
  it('hides the password of a URL that goes to the logs', () => {
    expect(redactRedisUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:***@cache:6379/0')
    expect(redactRedisUrl('rediss://ops:hunter2@cache:6380')).toBe('rediss://ops:***@cache:6380')
    expect(redactRedisUrl('redis://cache:6379')).toBe('redis://cache:6379')
  })
})

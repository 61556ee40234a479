import { describe, expect, it } from 'vitest'
import { buildConfig } from '../../src/config/load-config.js'

const base = { org: 'o', token: 'a-token-for-tests', accounts: { a: { region: 'us-east-1' } } }

describe('operations config', () => {
  it('defaults to the embedded store, 7 days of retention, 4 at once and 30 s BullMQ claims', () => {
    expect(buildConfig(base).operations).toEqual({
      sqlitePath: '.data/operations.sqlite',
      retentionHours: 168,
      concurrency: 4,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
    })
  })

  it('reads the fields in any key case, as the rest of the file', () => {
    const config = buildConfig({
      ...base,
      Operations: { SQLITEPATH: '/var/lib/ecs-api/ops.sqlite', retentionhours: 24, Concurrency: 0, LockDurationMs: 2000, stalledintervalms: 500 },
    })
    expect(config.operations).toEqual({
      sqlitePath: '/var/lib/ecs-api/ops.sqlite',
      retentionHours: 24,
      concurrency: 0,
      lockDurationMs: 2000,
      stalledIntervalMs: 500,
    })
  })

  it('names the field of a wrong value', () => {
    expect(() => buildConfig({ ...base, operations: { concurrency: -1 } })).toThrow(/invalid config: operations\.concurrency/)
    expect(() => buildConfig({ ...base, operations: { lockDurationMs: 10 } })).toThrow(/invalid config: operations\.lockDurationMs/)
    expect(() => buildConfig({ ...base, redis: 'http://cache:6379' })).toThrow(/invalid config: redis/)
  })
})

/**
 * What every operation store must do for idempotency keys and the audit trail, run against each
 * real backend through `storeContract`.
 */
import { expect, it } from 'vitest'
import { newAuditId, type AuditRecord } from '../../src/operations/audit-records.js'
import type { KeptAnswer } from '../../src/operations/kept-answers.js'
import type { OperationStore } from '../../src/operations/store.js'
import { waitFor } from './helpers.js'

const answer: KeptAnswer = { status: 201, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}').toString('base64') }

function auditRecord(atMs: number, patch: Partial<AuditRecord> = {}): AuditRecord {
  return {
    Id: newAuditId(atMs),
    Time: new Date(atMs).toISOString(),
    Kind: 'request',
    Account: 'main',
    Org: 'testorg',
    Route: '/v1/ecs/:account/secrets',
    TargetArns: [],
    Outcome: 'succeeded',
    ...patch,
  }
}

export function retriesStoreContract(open: () => Promise<OperationStore>): void {
  it('claims an idempotency key once, keeps its answer, and frees a claim given up or expired', async () => {
    const store = await open()
    expect(await store.claimIdempotencyKey('k1', 'fp-a', 60_000)).toEqual({ state: 'claimed' })
    expect(await store.claimIdempotencyKey('k1', 'fp-a', 60_000)).toEqual({ state: 'running', fingerprint: 'fp-a' })
    expect(await store.claimIdempotencyKey('k1', 'fp-b', 60_000)).toEqual({ state: 'running', fingerprint: 'fp-a' })
    await store.keepAnswer('k1', 'fp-a', answer, 60_000)
    // Giving up a key whose answer is kept changes nothing.
    await store.releaseIdempotencyKey('k1', 'fp-a')
    expect(await store.claimIdempotencyKey('k1', 'fp-a', 60_000)).toEqual({ state: 'done', fingerprint: 'fp-a', answer })

    expect(await store.claimIdempotencyKey('k2', 'fp-a', 60_000)).toEqual({ state: 'claimed' })
    await store.releaseIdempotencyKey('k2', 'fp-other')
    expect((await store.claimIdempotencyKey('k2', 'fp-a', 60_000)).state).toBe('running')
    await store.releaseIdempotencyKey('k2', 'fp-a')
    expect(await store.claimIdempotencyKey('k2', 'fp-b', 60_000)).toEqual({ state: 'claimed' })

    // A claim left by a process that died lapses after its time.
    expect(await store.claimIdempotencyKey('k3', 'fp-a', 1)).toEqual({ state: 'claimed' })
    await waitFor('the claim to lapse', async () => (await store.claimIdempotencyKey('k3', 'fp-b', 60_000)).state === 'claimed')

    // A kept answer is kept for the time given (idempotency.ttlHours), then the key is free again.
    expect(await store.claimIdempotencyKey('k4', 'fp-a', 60_000)).toEqual({ state: 'claimed' })
    await store.keepAnswer('k4', 'fp-a', answer, 1)
    await waitFor('the kept answer to lapse', async () => (await store.claimIdempotencyKey('k4', 'fp-b', 60_000)).state === 'claimed')
  })

  it('lists audit records of an account newest first, filtered, in pages, and prunes old ones', async () => {
    const store = await open()
    const t0 = Date.parse('2026-06-01T00:00:00Z')
    const a = auditRecord(t0, { Target: 'secrets/db', TargetArns: ['arn:aws:secretsmanager:us-east-1:1:secret:db-x'] })
    const b = auditRecord(t0 + 1000, { Space: 'web', Target: 'clusters/web/services/api' })
    const c = auditRecord(t0 + 2000, { Space: 'webapp', Target: 'clusters/webapp' })
    const d = auditRecord(t0 + 2000, { Space: 'web', Target: 'clusters/web/taskdefs/job' })
    const elsewhere = auditRecord(t0 + 3000, { Account: 'other' })
    for (const r of [a, b, c, d, elsewhere]) await store.appendAudit(r)
    const ids = (page: { records: AuditRecord[] }) => page.records.map((r) => r.Id)
    const newestFirst = [a, b, c, d].sort((x, y) => (x.Id < y.Id ? 1 : -1)).map((r) => r.Id)

    const all = await store.listAudit({ account: 'main', limit: 10 })
    expect(ids(all)).toEqual(newestFirst)
    expect(all.records.find((r) => r.Id === a.Id)).toEqual(a)
    expect(all.nextCursor).toBeUndefined()

    const first = await store.listAudit({ account: 'main', limit: 3 })
    expect(ids(first)).toEqual(newestFirst.slice(0, 3))
    const second = await store.listAudit({ account: 'main', limit: 3, before: first.nextCursor! })
    expect(ids(second)).toEqual(newestFirst.slice(3))
    expect(second.nextCursor).toBeUndefined()

    expect(ids(await store.listAudit({ account: 'main', limit: 10, space: 'web' })).sort()).toEqual([b.Id, d.Id].sort())
    expect(ids(await store.listAudit({ account: 'main', limit: 10, target: 'clusters/web' })).sort()).toEqual([b.Id, d.Id].sort())
    expect(ids(await store.listAudit({ account: 'main', limit: 10, target: 'arn:aws:secretsmanager:us-east-1:1:secret:db-x' }))).toEqual([a.Id])
    expect(ids(await store.listAudit({ account: 'main', limit: 10, sinceMs: t0 + 1000, untilMs: t0 + 1000 }))).toEqual([b.Id])
    expect(ids(await store.listAudit({ account: 'main', limit: 10, untilMs: t0 + 999 }))).toEqual([a.Id])
    expect(ids(await store.listAudit({ account: 'other', limit: 10 }))).toEqual([elsewhere.Id])

    expect(await store.pruneAudit(t0 + 1500)).toBe(2)
    expect(ids(await store.listAudit({ account: 'main', limit: 10 })).sort()).toEqual([c.Id, d.Id].sort())
  })
}

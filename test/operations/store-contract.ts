/**
 * What every operation store must do, run against each real backend (an SQLite file, a Redis
 * server) by its own test file.
 */
import { expect, it } from 'vitest'
import { newRecord, type OperationRecord, type OperationTarget } from '../../src/operations/record.js'
import type { OperationStore } from '../../src/operations/store.js'
import { waitFor } from './helpers.js'
import { retriesStoreContract } from './retries-store-contract.js'

let clock = Date.parse('2026-01-01T00:00:00Z')

/** A record created one second after the previous one, so ids (and list order) follow creation. */

export function record(account: string, target: OperationTarget = {}, patch: Partial<OperationRecord> = {}): OperationRecord {
  clock += 1000
  return { ...newRecord({ kind: 'test.kind', account, target, input: { n: clock }, stepIds: ['a', 'b'] }, new Date(clock)), ...patch }
}

const finished = (status: 'succeeded' | 'failed', finishedAt: string): Partial<OperationRecord> => ({ status, finishedAt })

export function storeContract(open: () => Promise<OperationStore>): void {
  it('stores, reads back, saves and deletes whole records', async () => {
    const store = await open()
    const r = record('main', { cluster: 'web' })
    await store.insert(r)
    expect(await store.get(r.id)).toEqual(r)
    expect(await store.get('01900000-0000-7000-8000-000000000000')).toBeUndefined()

    r.status = 'running'
    r.steps[0]!.status = 'succeeded'
    r.steps[0]!.output = { arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/web' }
    await store.save(r)
    expect(await store.get(r.id)).toEqual(r)

    await store.delete(r.id)
    expect(await store.get(r.id)).toBeUndefined()
  })

  it('lists unfinished operations oldest first', async () => {
    const store = await open()
    const a = record('main')
    const b = record('other', {}, { status: 'running' })
    const c = record('main', {}, finished('succeeded', new Date(clock).toISOString()))
    for (const r of [a, b, c]) await store.insert(r)
    expect(await store.unfinishedIds()).toEqual([a.id, b.id])
    await store.save({ ...a, ...finished('failed', new Date(clock).toISOString()) })
    expect(await store.unfinishedIds()).toEqual([b.id])
  })

  it("lists an account's operations newest first, in pages, filtered by status and target", async () => {
    const store = await open()
    const web = record('main', { cluster: 'web' })
    const api = record('main', { cluster: 'web', service: 'api' }, finished('failed', new Date(clock).toISOString()))
    const webapp = record('main', { cluster: 'webapp' })
    const odd = record('main', { cluster: 'a%b_c', taskDefinition: 'fam:3' }, { status: 'running' })
    const elsewhere = record('other', { cluster: 'web' })
    for (const r of [web, api, webapp, odd, elsewhere]) await store.insert(r)
    const ids = (page: { records: OperationRecord[] }) => page.records.map((r) => r.id)

    const all = await store.list({ account: 'main', limit: 10 })
    expect(ids(all)).toEqual([odd.id, webapp.id, api.id, web.id])
    expect(all.nextCursor).toBeUndefined()

    const first = await store.list({ account: 'main', limit: 3 })
    expect(ids(first)).toEqual([odd.id, webapp.id, api.id])
    expect(first.nextCursor).toBe(api.id)
    const second = await store.list({ account: 'main', limit: 3, after: first.nextCursor! })
    expect(ids(second)).toEqual([web.id])
    expect(second.nextCursor).toBeUndefined()

    expect(ids(await store.list({ account: 'main', limit: 10, statuses: ['queued'] }))).toEqual([webapp.id, web.id])
    expect(ids(await store.list({ account: 'main', limit: 10, statuses: ['running', 'failed'] }))).toEqual([odd.id, api.id])
    expect(ids(await store.list({ account: 'main', limit: 10, targetPath: 'clusters/web' }))).toEqual([api.id, web.id])
    expect(ids(await store.list({ account: 'main', limit: 10, targetPath: 'clusters/web/services/api' }))).toEqual([api.id])
    expect(ids(await store.list({ account: 'main', limit: 10, targetPath: 'clusters/a%25b_c' }))).toEqual([odd.id])
    expect(ids(await store.list({ account: 'main', limit: 10, targetPath: 'clusters/a' }))).toEqual([])
    expect(ids(await store.list({ account: 'main', limit: 1, targetPath: 'clusters/web', statuses: ['queued'] }))).toEqual([web.id])
    expect(ids(await store.list({ account: 'other', limit: 10 }))).toEqual([elsewhere.id])
    expect(ids(await store.list({ account: 'nobody', limit: 10 }))).toEqual([])
  })

  it('prunes only operations that finished before the cut-off', async () => {
    const store = await open()
    const cutoff = Date.parse('2026-02-01T00:00:00Z')
    const old = record('main', {}, finished('succeeded', new Date(cutoff - 1).toISOString()))
    const young = record('main', {}, finished('failed', new Date(cutoff + 1).toISOString()))
    const oldButRunning = record('main', {}, { status: 'running' })
    for (const r of [old, young, oldButRunning]) await store.insert(r)
    expect(await store.prune(cutoff)).toBe(1)
    expect(await store.get(old.id)).toBeUndefined()
    expect(await store.get(young.id)).toBeDefined()
    expect(await store.get(oldButRunning.id)).toBeDefined()
    expect(await store.list({ account: 'main', limit: 10 }).then((p) => p.records.map((r) => r.id))).toEqual([oldButRunning.id, young.id])
  })

  it('answers a 503 error, never a crash, once it cannot be used', async () => {
    const store = await open()
    await store.ping()
    await store.close()
    for (const call of [() => store.get('x'), () => store.ping(), () => store.list({ account: 'main', limit: 1 }), () => store.insert(record('main'))]) {
      await expect(call()).rejects.toMatchObject({ status: 503, code: 'ServiceUnavailable', message: expect.stringContaining('operation store unavailable') })
    }
  })

  it('holds a lease for one owner at a time: renewed by its owner, given back, taken over once expired', async () => {
    const store = await open()
    expect(await store.tryLease('space:main:web', 'a', 60_000)).toBe(true)
    expect(await store.tryLease('space:main:web', 'b', 60_000)).toBe(false)
    // Another key is another lease.
    expect(await store.tryLease('space:main:api', 'b', 60_000)).toBe(true)
    expect(await store.tryLease('space:main:web', 'a', 60_000)).toBe(true)
    // Only its owner gives it back.
    await store.releaseLease('space:main:web', 'b')
    expect(await store.tryLease('space:main:web', 'b', 60_000)).toBe(false)
    await store.releaseLease('space:main:web', 'a')
    expect(await store.tryLease('space:main:web', 'b', 1)).toBe(true)
    // b's lease lasts 1 ms: a takes it over as soon as it has expired.
    await waitFor('the 1 ms lease to expire', () => store.tryLease('space:main:web', 'a', 60_000))
    expect(await store.tryLease('space:main:web', 'b', 60_000)).toBe(false)
  })

  retriesStoreContract(open)
}

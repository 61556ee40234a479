import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Leases } from '../../src/operations/leases.js'
import { SqliteOperationStore } from '../../src/operations/sqlite-store.js'
import { tempDir } from './helpers.js'

const dirs: string[] = []
const stores: SqliteOperationStore[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const store of stores.splice(0)) await store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function leases(): Leases {
  const dir = tempDir()
  dirs.push(dir)
  const store = SqliteOperationStore.open(join(dir, 'operations.sqlite'))
  stores.push(store)
  return new Leases(store)
}

/** A hold whose work runs until `release()`; `started` settles when the work has begun. */
function holder(l: Leases, key: string, order: string[], name: string): { started: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void
  let begin!: () => void
  const started = new Promise<void>((resolve) => (begin = resolve))
  const gate = new Promise<void>((resolve) => (release = resolve))
  const done = l.hold(key, 'a change', async () => {
    order.push(name)
    begin()
    await gate
  })
  return { started, release, done }
}

/** Lets pending promise callbacks (the store's answers) run, without letting any timer fire. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve()
}

describe('leases in one process', () => {
  it('hand the lease to the oldest waiter as soon as it is released, without waiting out a pause', async () => {
    // Fake timers that never advance: a waiter that had to sleep out its pause would never run.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const l = leases()
    const order: string[] = []
    const a = holder(l, 'space:x', order, 'a')
    await a.started
    const b = holder(l, 'space:x', order, 'b')
    await settle()
    const c = holder(l, 'space:x', order, 'c')
    await settle()
    expect(order).toEqual(['a'])

    // Only promise callbacks run between the release and the check: no timer, however short.
    a.release()
    await a.done
    await settle()
    expect(order).toEqual(['a', 'b'])

    b.release()
    await b.done
    await settle()
    expect(order).toEqual(['a', 'b', 'c'])
    c.release()
    await c.done
    expect(order).toEqual(['a', 'b', 'c'])
  })

  it('keep other keys independent of a held one', async () => {
    const l = leases()
    const order: string[] = []
    const a = holder(l, 'space:x', order, 'a')
    await a.started
    const other = holder(l, 'space:y', order, 'y')
    await other.started
    other.release()
    await other.done
    a.release()
    await a.done
    expect(order).toEqual(['a', 'y'])
  })

  it('answer 409 to a waiter whose wait ends before the holder lets go', async () => {
    const l = leases()
    const order: string[] = []
    const a = holder(l, 'space:x', order, 'a')
    await a.started
    await expect(l.hold('space:x', 'another change of space x', () => Promise.resolve(), { waitMs: 30 })).rejects.toMatchObject({
      status: 409,
      message: 'another change of space x is in progress; try again',
    })
    a.release()
    await a.done
    // The failed waiter left no trace: the next hold gets the lease at once.
    await l.hold('space:x', 'a change', () => Promise.resolve())
  })
})

import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteOperationStore } from '../../src/operations/sqlite-store.js'
import type { OperationStore } from '../../src/operations/store.js'
import { tempDir } from './helpers.js'
import { record, storeContract } from './store-contract.js'

const opened: OperationStore[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function freshPath(): string {
  const dir = tempDir()
  dirs.push(dir)
  return join(dir, 'nested', 'operations.sqlite')
}

describe('SQLite operation store', () => {
  storeContract(async () => {
    const store = SqliteOperationStore.open(freshPath())
    opened.push(store)
    return store
  })

  it('keeps records across a reopen of the file', async () => {
    const path = freshPath()
    const first = SqliteOperationStore.open(path)
    const r = record('main', { cluster: 'web' })
    await first.insert(r)
    await first.close()
    const second = SqliteOperationStore.open(path)
    opened.push(second)
    expect(await second.get(r.id)).toEqual(r)
  })

  it('refuses a file another process (or store) holds, saying so', async () => {
    const path = freshPath()
    opened.push(SqliteOperationStore.open(path))
    expect(() => SqliteOperationStore.open(path, 200)).toThrow(
      `operation store ${path}: in use by another process (each process needs its own file; use redis to share operations)`,
    )
  })

  it('refuses a file written by a newer schema', async () => {
    const path = freshPath()
    await SqliteOperationStore.open(path).close()
    const db = new Database(path)
    db.pragma('user_version = 99')
    db.close()
    expect(() => SqliteOperationStore.open(path)).toThrow('written by a newer version (schema 99)')
  })
})

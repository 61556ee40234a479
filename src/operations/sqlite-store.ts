/**
 * The embedded operation store: one SQLite file. The process holds it exclusively, because two
 * processes on one file would both resume the same operations; a second one is refused at start.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { auditIdFloor, auditIdRange, matchesAuditQuery, type AuditPage, type AuditQuery, type AuditRecord } from './audit-records.js'
import type { IdempotencyClaim, KeptAnswer } from './kept-answers.js'
import { isFinished, type OperationRecord } from './record.js'
import { guarded, type ListPage, type ListQuery, type OperationStore } from './store.js'

/** Audit records read per query while filtering, and looked at per page at most. */
const AUDIT_BATCH = 500
const AUDIT_SCAN_LIMIT = 50_000

const SCHEMA_VERSION = 1

const SCHEMA = `
CREATE TABLE IF NOT EXISTS operations (
  id          TEXT PRIMARY KEY,
  account     TEXT NOT NULL,
  target      TEXT NOT NULL,
  status      TEXT NOT NULL,
  finished_ms INTEGER,
  record      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS operations_by_account ON operations (account, id);
CREATE INDEX IF NOT EXISTS operations_unfinished ON operations (status) WHERE finished_ms IS NULL;
CREATE INDEX IF NOT EXISTS operations_finished ON operations (finished_ms) WHERE finished_ms IS NOT NULL;
CREATE TABLE IF NOT EXISTS idempotency (
  key         TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  answer      TEXT,
  expires_ms  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
  id      TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  record  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_account ON audit (account, id);
CREATE TABLE IF NOT EXISTS leases (
  key        TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
);
`

/** The store file is held by another process, or cannot be opened. */
export class SqliteStoreOpenError extends Error {
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`operation store ${path}: ${reason}`, options)
    this.name = 'SqliteStoreOpenError'
  }
}

interface Row {
  record: string
}

export class SqliteOperationStore implements OperationStore {
  readonly backend = 'sqlite'
  readonly #db: Database.Database
  readonly #insert: Database.Statement
  readonly #save: Database.Statement
  readonly #delete: Database.Statement
  readonly #get: Database.Statement<[string], Row>
  readonly #unfinished: Database.Statement<[], { id: string }>
  readonly #prune: Database.Statement<[number]>
  readonly #lease: Database.Statement<[{ key: string; owner: string; now: number; expires: number }]>
  readonly #release: Database.Statement<[string, string]>
  readonly #claim: (key: string, fingerprint: string, expires: number) => IdempotencyClaim
  readonly #keep: Database.Statement<[string, number, string, string]>
  readonly #unclaim: Database.Statement<[string, string]>
  readonly #appendAudit: Database.Statement<[string, string, string]>

  private constructor(db: Database.Database) {
    this.#db = db
    this.#insert = db.prepare(
      'INSERT INTO operations (id, account, target, status, finished_ms, record) VALUES (@id, @account, @target, @status, @finished, @record)',
    )
    this.#save = db.prepare('UPDATE operations SET status = @status, finished_ms = @finished, record = @record WHERE id = @id')
    this.#delete = db.prepare('DELETE FROM operations WHERE id = ?')
    this.#get = db.prepare('SELECT record FROM operations WHERE id = ?')
    this.#unfinished = db.prepare('SELECT id FROM operations WHERE finished_ms IS NULL ORDER BY id')
    this.#prune = db.prepare('DELETE FROM operations WHERE finished_ms IS NOT NULL AND finished_ms < ?')
    // Inserted when free; taken over only when expired or already this owner's (no row changes otherwise).
    this.#lease = db.prepare(
      `INSERT INTO leases (key, owner, expires_ms) VALUES (@key, @owner, @expires)
       ON CONFLICT (key) DO UPDATE SET owner = @owner, expires_ms = @expires
       WHERE leases.owner = @owner OR leases.expires_ms <= @now`,
    )
    this.#release = db.prepare('DELETE FROM leases WHERE key = ? AND owner = ?')
    const dropExpired = db.prepare<[string, number]>('DELETE FROM idempotency WHERE key = ? AND expires_ms <= ?')
    const insertClaim = db.prepare<[string, string, number]>(
      'INSERT INTO idempotency (key, fingerprint, answer, expires_ms) VALUES (?, ?, NULL, ?) ON CONFLICT (key) DO NOTHING',
    )
    const readClaim = db.prepare<[string], { fingerprint: string; answer: string | null }>(
      'SELECT fingerprint, answer FROM idempotency WHERE key = ?',
    )
    // One transaction: two requests with one key cannot both see it free.
    this.#claim = db.transaction((key: string, fingerprint: string, expires: number): IdempotencyClaim => {
      dropExpired.run(key, Date.now())
      if (insertClaim.run(key, fingerprint, expires).changes > 0) return { state: 'claimed' }
      const row = readClaim.get(key)!
      return row.answer === null
        ? { state: 'running', fingerprint: row.fingerprint }
        : { state: 'done', fingerprint: row.fingerprint, answer: JSON.parse(row.answer) as KeptAnswer }
    })
    this.#keep = db.prepare('UPDATE idempotency SET answer = ?, expires_ms = ? WHERE key = ? AND fingerprint = ?')
    this.#unclaim = db.prepare('DELETE FROM idempotency WHERE key = ? AND fingerprint = ? AND answer IS NULL')
    this.#appendAudit = db.prepare('INSERT INTO audit (id, account, record) VALUES (?, ?, ?)')
  }

  /**
   * Opens (creating it and its directory) and locks the file. Waits up to `busyTimeoutMs` for a
   * previous process that is still shutting down to let go of it.
   */
  static open(path: string, busyTimeoutMs = 5_000): SqliteOperationStore {
    let db: Database.Database | undefined
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
      db = new Database(path, { timeout: busyTimeoutMs })
      // Exclusive locking also keeps WAL's index in process memory: no shared-memory file needed.
      db.pragma('locking_mode = EXCLUSIVE')
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      // SQLite's own default page cache (2 MB) rather than the 16 MB better-sqlite3 builds in: the
      // audit table grows with every change, and its pages would otherwise stay in the process's
      // memory up to that bound; the few reads of old records come from the OS's file cache.
      db.pragma('cache_size = -2000')
      // Takes the lock now rather than on the first write, so a second process fails at start.
      db.exec('BEGIN EXCLUSIVE; COMMIT')
      const version = db.pragma('user_version', { simple: true }) as number
      if (version > SCHEMA_VERSION) {
        throw new SqliteStoreOpenError(path, `written by a newer version (schema ${version}); upgrade this service`)
      }
      db.exec(SCHEMA)
      db.pragma(`user_version = ${SCHEMA_VERSION}`)
      return new SqliteOperationStore(db)
    } catch (err) {
      db?.close()
      if (err instanceof SqliteStoreOpenError) throw err
      const code = (err as { code?: string }).code
      const reason =
        code === 'SQLITE_BUSY'
          ? 'in use by another process (each process needs its own file; use redis to share operations)'
          : (err as Error).message
      throw new SqliteStoreOpenError(path, reason, { cause: err })
    }
  }

  async insert(record: OperationRecord): Promise<void> {
    await guarded(() => this.#insert.run(this.#params(record)))
  }

  async save(record: OperationRecord): Promise<void> {
    await guarded(() => this.#save.run(this.#params(record)))
  }

  async delete(id: string): Promise<void> {
    await guarded(() => this.#delete.run(id))
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const row = await guarded(() => this.#get.get(id))
    return row ? (JSON.parse(row.record) as OperationRecord) : undefined
  }

  async list(query: ListQuery): Promise<ListPage> {
    const where = ['account = @account']
    const params: Record<string, unknown> = { account: query.account, limit: query.limit + 1 }
    if (query.after !== undefined) {
      where.push('id < @after')
      params.after = query.after
    }
    if (query.statuses?.length) {
      where.push(`status IN (${query.statuses.map((_, i) => `@s${i}`).join(', ')})`)
      query.statuses.forEach((s, i) => (params[`s${i}`] = s))
    }
    if (query.targetPath !== undefined) {
      // A prefix match at a segment boundary, without LIKE (names may hold % or _).
      where.push("(target = @target OR substr(target, 1, length(@target) + 1) = @target || '/')")
      params.target = query.targetPath
    }
    const sql = `SELECT record FROM operations WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`
    const rows = await guarded(() => this.#db.prepare<[Record<string, unknown>], Row>(sql).all(params))
    const records = rows.slice(0, query.limit).map((r) => JSON.parse(r.record) as OperationRecord)
    const last = records.at(-1)
    return rows.length > query.limit && last ? { records, nextCursor: last.id } : { records }
  }

  async unfinishedIds(): Promise<string[]> {
    return (await guarded(() => this.#unfinished.all())).map((r) => r.id)
  }

  async prune(finishedBeforeMs: number): Promise<number> {
    return (await guarded(() => this.#prune.run(finishedBeforeMs))).changes
  }

  async tryLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now()
    return (await guarded(() => this.#lease.run({ key, owner, now, expires: now + ttlMs }))).changes > 0
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await guarded(() => this.#release.run(key, owner))
  }

  async claimIdempotencyKey(key: string, fingerprint: string, runningTtlMs: number): Promise<IdempotencyClaim> {
    return await guarded(() => this.#claim(key, fingerprint, Date.now() + runningTtlMs))
  }

  async keepAnswer(key: string, fingerprint: string, answer: KeptAnswer, ttlMs: number): Promise<void> {
    await guarded(() => this.#keep.run(JSON.stringify(answer), Date.now() + ttlMs, key, fingerprint))
  }

  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<void> {
    await guarded(() => this.#unclaim.run(key, fingerprint))
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    await guarded(() => this.#appendAudit.run(record.Id, record.Account, JSON.stringify(record)))
  }

  async listAudit(query: AuditQuery): Promise<AuditPage> {
    const range = auditIdRange(query)
    const matches: AuditRecord[] = []
    let upper = range.to
    let scanned = 0
    for (;;) {
      const where = ['account = @account']
      if (range.from !== undefined) where.push('id >= @from')
      if (upper !== undefined) where.push('id < @to')
      const sql = `SELECT record FROM audit WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${AUDIT_BATCH}`
      const params = { account: query.account, from: range.from, to: upper }
      const rows = await guarded(() => this.#db.prepare<[Record<string, unknown>], Row>(sql).all(params))
      for (const row of rows) {
        const record = JSON.parse(row.record) as AuditRecord
        if (!matchesAuditQuery(record, query)) continue
        matches.push(record)
        if (matches.length > query.limit) return { records: matches.slice(0, query.limit), nextCursor: matches[query.limit - 1]!.Id }
      }
      if (rows.length < AUDIT_BATCH) return { records: matches }
      scanned += rows.length
      upper = (JSON.parse(rows.at(-1)!.record) as AuditRecord).Id
      // Bounded work per request: a short page and a cursor to go on from where the scan stopped.
      if (scanned >= AUDIT_SCAN_LIMIT) return { records: matches, nextCursor: upper }
    }
  }

  async pruneAudit(beforeMs: number): Promise<number> {
    const removed = await guarded(() => this.#db.prepare('DELETE FROM audit WHERE id < ?').run(auditIdFloor(beforeMs)).changes)
    // Kept answers past their time go with the same sweep.
    await guarded(() => this.#db.prepare('DELETE FROM idempotency WHERE expires_ms <= ?').run(Date.now()))
    return removed
  }

  async ping(): Promise<void> {
    await guarded(() => this.#db.prepare('SELECT 1').get())
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }

  #params(record: OperationRecord): Record<string, unknown> {
    return {
      id: record.id,
      account: record.account,
      target: record.targetPath,
      status: record.status,
      finished: isFinished(record.status) && record.finishedAt ? Date.parse(record.finishedAt) : null,
      record: JSON.stringify(record),
    }
  }
}

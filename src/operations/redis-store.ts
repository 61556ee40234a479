/**
 * The shared operation store: records in Redis, readable from every replica. One JSON string per
 * operation, a sorted set per account for listing (all scores 0, so members sort by id, which is
 * time-ordered), and sets of unfinished and finished ids for resuming and retention.
 *
 * The connection fails fast while Redis is unreachable (no offline queue), so a request that needs
 * the store answers 503 at once instead of hanging; the client keeps reconnecting in the background.
 */
import type { FastifyBaseLogger } from 'fastify'
import { Redis, type ChainableCommander } from 'ioredis'
import { auditIdFloor, auditIdRange, matchesAuditQuery, type AuditPage, type AuditQuery, type AuditRecord } from './audit-records.js'
import type { IdempotencyClaim, KeptAnswer } from './kept-answers.js'
import { isFinished, type OperationRecord } from './record.js'
import { guarded, type ListPage, type ListQuery, type OperationStore } from './store.js'
import { redactRedisUrl, redisOptions } from './redis-connection.js'
import { DELETE_IF_HOLDS, TRY_LEASE } from './redis-scripts.js'

/** Records read per round trip while filtering a list. */
const SCAN_BATCH = 200
/** Records one list request looks at before answering a short page with a cursor to go on. */
const SCAN_LIMIT = 5_000

export interface RedisStoreOptions {
  url: string
  org: string
  log: FastifyBaseLogger
  /** Finished records also expire on their own this long after finishing, should pruning lag. */
  finishedTtlMs: number
}

export class RedisOperationStore implements OperationStore {
  readonly backend = 'redis'
  readonly #redis: Redis
  readonly #keys: {
    op: (id: string) => string
    account: (a: string) => string
    lease: (key: string) => string
    idempotency: (key: string) => string
    audit: (account: string) => string
    auditAccounts: string
    unfinished: string
    finished: string
  }
  readonly #ttlSeconds: number
  readonly #where: string
  readonly #log: FastifyBaseLogger
  #ready = false
  #reportedDown = false

  constructor(options: RedisStoreOptions) {
    const base = `ecs-api:${options.org}:`
    this.#keys = {
      op: (id) => `${base}op:${id}`,
      account: (a) => `${base}account:${a}`,
      lease: (key) => `${base}lease:${key}`,
      idempotency: (key) => `${base}idem:${key}`,
      audit: (account) => `${base}audit:${account}`,
      auditAccounts: `${base}audit-accounts`,
      unfinished: `${base}unfinished`,
      finished: `${base}finished`,
    }
    this.#ttlSeconds = Math.ceil(options.finishedTtlMs / 1000)
    this.#where = redactRedisUrl(options.url)
    this.#log = options.log
    this.#redis = new Redis(options.url, redisOptions())
    // Logged on changes only: ioredis reports every failed reconnect attempt.
    this.#redis.on('error', (err: Error) => {
      if (this.#reportedDown) return
      this.#reportedDown = true
      this.#log.error(
        `operation store: cannot reach Redis at ${this.#where} (${err.message}); /readyz and requests that need operations answer 503 until it is reachable`,
      )
    })
    this.#redis.on('ready', () => {
      this.#ready = true
      if (this.#reportedDown) this.#log.info(`operation store: Redis at ${this.#where} is reachable again`)
      this.#reportedDown = false
    })
  }

  /** Waits up to `timeoutMs` for the first connection; answers whether it is up. Never throws. */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.#ready) return true
    return await new Promise<boolean>((resolve) => {
      const done = (up: boolean): void => {
        clearTimeout(timer)
        this.#redis.off('ready', onReady)
        resolve(up)
      }
      const onReady = (): void => done(true)
      const timer = setTimeout(() => done(false), timeoutMs)
      this.#redis.once('ready', onReady)
    })
  }

  async insert(record: OperationRecord): Promise<void> {
    await this.save(record)
  }

  async save(record: OperationRecord): Promise<void> {
    const k = this.#keys
    const tx = this.#redis.multi()
    if (isFinished(record.status)) {
      tx.set(k.op(record.id), JSON.stringify(record), 'EX', this.#ttlSeconds)
      tx.zrem(k.unfinished, record.id)
      tx.zadd(k.finished, Date.parse(record.finishedAt ?? record.updatedAt), record.id)
    } else {
      // Without EX: a retried operation's record loses the expiry it had while finished.
      tx.set(k.op(record.id), JSON.stringify(record))
      tx.zrem(k.finished, record.id)
      tx.zadd(k.unfinished, 0, record.id)
    }
    tx.zadd(k.account(record.account), 0, record.id)
    await guarded(() => execAll(tx))
  }

  async delete(id: string): Promise<void> {
    const record = await this.get(id)
    if (record) await guarded(() => this.#forget([record.id], [record.account]))
  }

  async tryLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = await guarded(() => this.#redis.eval(TRY_LEASE, 1, this.#keys.lease(key), owner, String(Math.max(1, Math.ceil(ttlMs)))))
    return held === 1
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await guarded(() => this.#redis.eval(DELETE_IF_HOLDS, 1, this.#keys.lease(key), owner))
  }

  async claimIdempotencyKey(key: string, fingerprint: string, runningTtlMs: number): Promise<IdempotencyClaim> {
    const k = this.#keys.idempotency(key)
    // SET NX: of two replicas claiming one key, one gets it. A claim that expired between the two
    // calls is claimed again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const set = await guarded(() => this.#redis.set(k, JSON.stringify({ fingerprint }), 'PX', Math.ceil(runningTtlMs), 'NX'))
      if (set === 'OK') return { state: 'claimed' }
      const json = await guarded(() => this.#redis.get(k))
      if (json === null) continue
      const held = JSON.parse(json) as { fingerprint: string; answer?: KeptAnswer }
      return held.answer ? { state: 'done', fingerprint: held.fingerprint, answer: held.answer } : { state: 'running', fingerprint: held.fingerprint }
    }
    throw new Error(`idempotency key claim did not settle`)
  }

  async keepAnswer(key: string, fingerprint: string, answer: KeptAnswer, ttlMs: number): Promise<void> {
    await guarded(() => this.#redis.set(this.#keys.idempotency(key), JSON.stringify({ fingerprint, answer }), 'PX', Math.ceil(ttlMs)))
  }

  async releaseIdempotencyKey(key: string, fingerprint: string): Promise<void> {
    await guarded(() => this.#redis.eval(DELETE_IF_HOLDS, 1, this.#keys.idempotency(key), JSON.stringify({ fingerprint })))
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    const tx = this.#redis.multi()
    // Scores all 0: members sort by their leading id, which is time-ordered.
    tx.zadd(this.#keys.audit(record.Account), 0, `${record.Id}\t${JSON.stringify(record)}`)
    tx.sadd(this.#keys.auditAccounts, record.Account)
    await guarded(() => execAll(tx))
  }

  async listAudit(query: AuditQuery): Promise<AuditPage> {
    const key = this.#keys.audit(query.account)
    const range = auditIdRange(query)
    const min = range.from === undefined ? '-' : `[${range.from}`
    let max = range.to === undefined ? '+' : `(${range.to}`
    const matches: AuditRecord[] = []
    let scanned = 0
    for (;;) {
      const members = await guarded(() => this.#redis.zrevrangebylex(key, max, min, 'LIMIT', 0, SCAN_BATCH))
      for (const member of members) {
        const record = JSON.parse(member.slice(member.indexOf('\t') + 1)) as AuditRecord
        if (!matchesAuditQuery(record, query)) continue
        matches.push(record)
        if (matches.length > query.limit) return { records: matches.slice(0, query.limit), nextCursor: matches[query.limit - 1]!.Id }
      }
      if (members.length < SCAN_BATCH) return { records: matches }
      scanned += members.length
      const last = members.at(-1)!
      if (scanned >= SCAN_LIMIT) return { records: matches, nextCursor: last.slice(0, last.indexOf('\t')) }
      max = `(${last}`
    }
  }

  async pruneAudit(beforeMs: number): Promise<number> {
    const accounts = await guarded(() => this.#redis.smembers(this.#keys.auditAccounts))
    let removed = 0
    for (const account of accounts) {
      removed += await guarded(() => this.#redis.zremrangebylex(this.#keys.audit(account), '-', `(${auditIdFloor(beforeMs)}`))
    }
    return removed
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const json = await guarded(() => this.#redis.get(this.#keys.op(id)))
    return json === null ? undefined : (JSON.parse(json) as OperationRecord)
  }

  async list(query: ListQuery): Promise<ListPage> {
    const key = this.#keys.account(query.account)
    const matches: OperationRecord[] = []
    let from = query.after === undefined ? '+' : `(${query.after}`
    let scanned = 0
    for (;;) {
      const ids = await guarded(() => this.#redis.zrevrangebylex(key, from, '-', 'LIMIT', 0, SCAN_BATCH))
      if (ids.length === 0) return { records: matches }
      const jsons = await guarded(() => this.#redis.mget(ids.map((id) => this.#keys.op(id))))
      const expired: string[] = []
      for (const [i, json] of jsons.entries()) {
        if (json === null) {
          expired.push(ids[i]!)
          continue
        }
        const record = JSON.parse(json) as OperationRecord
        if (!matchesQuery(record, query)) continue
        matches.push(record)
        if (matches.length > query.limit) return { records: matches.slice(0, query.limit), nextCursor: matches[query.limit - 1]!.id }
      }
      // Index entries of records that expired on their own.
      if (expired.length > 0) await guarded(() => this.#redis.zrem(key, ...expired))
      scanned += ids.length
      const last = ids.at(-1)!
      if (ids.length < SCAN_BATCH) return { records: matches }
      // Bounded work per request: a short page and a cursor to continue from where the scan stopped.
      if (scanned >= SCAN_LIMIT) return { records: matches, nextCursor: last }
      from = `(${last}`
    }
  }

  async unfinishedIds(): Promise<string[]> {
    return await guarded(() => this.#redis.zrangebylex(this.#keys.unfinished, '-', '+'))
  }

  async prune(finishedBeforeMs: number): Promise<number> {
    let removed = 0
    for (;;) {
      const ids = await guarded(() => this.#redis.zrangebyscore(this.#keys.finished, '-inf', `(${finishedBeforeMs}`, 'LIMIT', 0, SCAN_BATCH))
      if (ids.length === 0) return removed
      const jsons = await guarded(() => this.#redis.mget(ids.map((id) => this.#keys.op(id))))
      const accounts = jsons.flatMap((json) => (json === null ? [] : [(JSON.parse(json) as OperationRecord).account]))
      await guarded(() => this.#forget(ids, accounts))
      removed += jsons.filter((j) => j !== null).length
    }
  }

  async ping(): Promise<void> {
    await guarded(() => this.#redis.ping())
  }

  async close(): Promise<void> {
    // QUIT waits for replies in flight; a dead connection is just dropped.
    if (this.#redis.status === 'ready') await this.#redis.quit().catch(() => undefined)
    this.#redis.disconnect()
  }

  async #forget(ids: string[], accounts: string[]): Promise<unknown> {
    const k = this.#keys
    const tx = this.#redis.multi()
    tx.del(...ids.map((id) => k.op(id)))
    tx.zrem(k.unfinished, ...ids)
    tx.zrem(k.finished, ...ids)
    for (const account of new Set(accounts)) tx.zrem(k.account(account), ...ids)
    return await execAll(tx)
  }
}

/** Runs a MULTI; a command that failed inside it fails the call (EXEC itself does not throw for it). */
async function execAll(tx: ChainableCommander): Promise<unknown[]> {
  const results = await tx.exec()
  if (!results) throw new Error('transaction discarded')
  for (const [err] of results) if (err) throw err
  return results.map(([, value]) => value)
}

function matchesQuery(record: OperationRecord, query: ListQuery): boolean {
  if (query.statuses?.length && !query.statuses.includes(record.status)) return false
  const path = query.targetPath
  return path === undefined || record.targetPath === path || record.targetPath.startsWith(`${path}/`)
}

import { createHash, timingSafeEqual } from 'node:crypto'
import { verify } from '@node-rs/bcrypt'
import { LRUCache } from 'lru-cache'

/**
 * Checks the two credential schemes:
 * - `X-Auth-Token: <bcrypt hash of a configured token>`, the original clients' scheme. The hash is
 *   chosen by the client, so its cost is checked before any hashing (a cost-31 hash would take
 *   hours), and verified hashes are cached: a client repeating its header pays one bcrypt in total.
 * - `Authorization: Bearer <token>`, compared in constant time.
 */

const bcryptFormat = /^\$2[abxy]?\$(\d{2})\$[./A-Za-z0-9]{53}$/

export interface AuthenticatorOptions {
  tokens: readonly string[]
  maxBcryptCost: number
  cacheSize: number
}

/** `tokenId`: which configured token matched, by its position in the config (`token` first, then `tokens`). */
export type AuthResult = { ok: true; tokenId: string } | { ok: false; reason: string; busy?: true }

const tokenIdOf = (index: number): string => `token-${index}`

/**
 * Distinct, well-formed hashes each cost a bcrypt before they are known to be bad, and bcrypt runs on
 * libuv's small thread pool, which DNS lookups share. So few run at once, a short queue waits, and
 * beyond it the request is turned away (503) rather than starving every AWS call of the pool.
 */
const maxConcurrentBcrypt = 2
const maxQueuedBcrypt = 32

const digest = (value: string) => createHash('sha256').update(value).digest()

export class Authenticator {
  readonly #tokens: readonly string[]
  readonly #tokenDigests: readonly Buffer[]
  readonly #maxCost: number
  readonly #verified: LRUCache<string, number>
  /** Hashes that failed: remembered (briefly) so a repeated bad header does not cost a bcrypt each time. */
  readonly #rejected: LRUCache<string, true>
  /** Verifications in flight, so concurrent requests with one header share one bcrypt. */
  readonly #inflight = new Map<string, Promise<number | undefined>>()
  /** Number of bcrypt verifications run; exposed for tests and metrics. */
  bcryptRuns = 0
  #running = 0
  readonly #waiting: (() => void)[] = []

  constructor(options: AuthenticatorOptions) {
    this.#tokens = options.tokens
    this.#tokenDigests = options.tokens.map(digest)
    this.#maxCost = options.maxBcryptCost
    this.#verified = new LRUCache({ max: options.cacheSize })
    this.#rejected = new LRUCache({ max: 1_000, ttl: 60_000 })
  }

  async check(authToken: string | undefined, authorization: string | undefined): Promise<AuthResult> {
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
      if (!m) return { ok: false, reason: 'unsupported Authorization scheme (expected Bearer)' }
      const index = this.#checkBearer(m[1]!)
      return index === undefined ? { ok: false, reason: 'invalid bearer token' } : { ok: true, tokenId: tokenIdOf(index) }
    }
    if (authToken === undefined || authToken === '') return { ok: false, reason: 'missing X-Auth-Token or Authorization header' }
    return this.#checkHash(authToken)
  }

  #checkBearer(token: string): number | undefined {
    const presented = digest(token)
    // Compare against every token so the time taken does not say which one matched.
    let match: number | undefined
    for (const [i, d] of this.#tokenDigests.entries()) if (timingSafeEqual(presented, d)) match ??= i
    return match
  }

  async #checkHash(hash: string): Promise<AuthResult> {
    const known = this.#verified.get(hash)
    if (known !== undefined) return { ok: true, tokenId: tokenIdOf(known) }
    const format = bcryptFormat.exec(hash)
    if (!format) return { ok: false, reason: 'X-Auth-Token is not a bcrypt hash' }
    const cost = Number(format[1])
    if (cost > this.#maxCost) return { ok: false, reason: `bcrypt cost ${cost} exceeds the allowed maximum ${this.#maxCost}` }
    if (this.#rejected.has(hash)) return { ok: false, reason: 'invalid X-Auth-Token' }

    let pending = this.#inflight.get(hash)
    if (!pending) {
      if (this.#running >= maxConcurrentBcrypt && this.#waiting.length >= maxQueuedBcrypt) {
        return { ok: false, reason: 'too many credentials being verified; retry shortly', busy: true }
      }
      pending = this.#withSlot(() => this.#verifyAgainstTokens(hash)).finally(() => this.#inflight.delete(hash))
      this.#inflight.set(hash, pending)
    }
    const index = await pending
    return index === undefined ? { ok: false, reason: 'invalid X-Auth-Token' } : { ok: true, tokenId: tokenIdOf(index) }
  }

  async #withSlot<T>(work: () => Promise<T>): Promise<T> {
    // A finishing verification hands its slot straight to the next in line, so the count never overshoots.
    if (this.#running >= maxConcurrentBcrypt) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#running++
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }

  async #verifyAgainstTokens(hash: string): Promise<number | undefined> {
    for (const [i, token] of this.#tokens.entries()) {
      this.bcryptRuns++
      if (await verify(token, hash)) {
        this.#verified.set(hash, i)
        return i
      }
    }
    this.#rejected.set(hash, true)
    return undefined
  }
}

import { createHmac, randomBytes } from 'node:crypto'
import type { RegistryCredentials } from './registry-auth.js'

/**
 * Registry bearer tokens, cached per registry, scope and caller identity until shortly before they
 * expire. The identity is part of the key so a token fetched with one caller's credentials is never
 * used for another caller or for an anonymous check. Identities are keyed by an HMAC with a
 * per-process random key, so the cache never holds credentials in clear.
 */

/** Lifetime assumed when the token service does not say (the token spec's default). */
export const DEFAULT_TOKEN_SECONDS = 60

interface Entry {
  token: string
  expiresAt: number
}

export interface TokenCacheOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries?: number
  /** Clock in milliseconds (tests move it). */
  now?: () => number
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>()
  private readonly identityKey = randomBytes(32)
  private readonly maxEntries: number
  private readonly now: () => number

  constructor(options: TokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000
    this.now = options.now ?? Date.now
  }

  /** The cache key of a registry, scope and caller. */
  key(registryHost: string, scope: string, credentials: RegistryCredentials | undefined): string {
    const who = credentials
      ? createHmac('sha256', this.identityKey).update(`${credentials.username}\0${credentials.password}`).digest('base64')
      : 'anonymous'
    return `${registryHost.toLowerCase()}\n${scope}\n${who}`
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.expiresAt <= this.now()) return undefined
    this.entries.set(key, entry) // most recently used goes last
    return entry.token
  }

  /** Keeps `token` for 90 % of its lifetime, so it is not presented in its last seconds. */
  set(key: string, token: string, lifetimeSeconds: number): void {
    this.entries.delete(key)
    this.entries.set(key, { token, expiresAt: this.now() + lifetimeSeconds * 900 })
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}

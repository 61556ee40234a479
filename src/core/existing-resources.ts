import type { LRUCache } from 'lru-cache'
import { shortMemory } from './short-memory.js'

/**
 * What this process knows exists in one account, a short while after it saw it: a space's task
 * execution role (created here, or found by GetRole or TagRole) and its log group (created or found
 * here, with its ARN). A tag update tags such a resource straight away instead of first asking
 * whether it exists.
 *
 * Safe because the tag call itself says when the resource is gone (IAM NoSuchEntity, CloudWatch
 * Logs ResourceNotFoundException): the caller then skips it exactly as a lookup finding nothing
 * would, and forgets it. What a remembered answer does not settle is who owns the resource, and the
 * lookup it saves did not settle that either (the space's cluster is checked for the org as before).
 * At most `max` of each kind, least recently used go first; entries live `ttlMs` (`orgCacheSeconds`);
 * a TTL of 0 keeps nothing. Absence is never remembered: a resource not found is asked again.
 */
export class ExistingResources {
  readonly #roles: LRUCache<string, true> | undefined
  readonly #logGroups: LRUCache<string, string> | undefined

  constructor(options: { ttlMs: number; max?: number }) {
    const { ttlMs, max = 1_000 } = options
    this.#roles = shortMemory<true>(ttlMs, max)
    this.#logGroups = shortMemory<string>(ttlMs, max)
  }

  /** The role `name` was created or seen lately. */
  hasRole(name: string): boolean {
    return this.#roles?.get(name) === true
  }

  rememberRole(name: string): void {
    this.#roles?.set(name, true)
  }

  forgetRole(name: string): void {
    this.#roles?.delete(name)
  }

  /** The ARN (without `:*`) of the log group `name`, when it was created or seen lately. */
  logGroupArn(name: string): string | undefined {
    return this.#logGroups?.get(name)
  }

  /** Remembers a log group by name with its ARN (an empty ARN is not remembered). */
  rememberLogGroup(name: string, arn: string | undefined): void {
    if (arn) this.#logGroups?.set(name, arn.replace(/:\*$/, ''))
  }

  forgetLogGroup(name: string): void {
    this.#logGroups?.delete(name)
  }
}

const memories = new WeakMap<object, ExistingResources>()

/**
 * The memory of one account (its `Account` object, so apps never share one): made on first use with
 * `ttlMs` (the request context does); without `ttlMs`, only an existing one, or undefined (a
 * workflow run outside a request then neither skips nor remembers anything).
 */
export function existingResourcesOf(account: object, ttlMs: number): ExistingResources
export function existingResourcesOf(account: object): ExistingResources | undefined
export function existingResourcesOf(account: object, ttlMs?: number): ExistingResources | undefined {
  let memory = memories.get(account)
  if (!memory && ttlMs !== undefined) {
    memory = new ExistingResources({ ttlMs })
    memories.set(account, memory)
  }
  return memory
}

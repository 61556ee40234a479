import type { LRUCache } from 'lru-cache'
import { shortMemory } from './short-memory.js'

/**
 * Task definition revisions this process described lately, by `family:revision`, for reading the
 * revision a service runs without DescribeTaskDefinition on every update. A revision's content is
 * immutable in ECS; only its status (and `deregisteredAt`, `deleteRequestedAt`) changes when it is
 * deregistered or deleted. So every deregistration or deletion this process makes forgets the
 * revision first, and what goes unseen is another replica's, for at most `ttlMs` (`orgCacheSeconds`):
 * the answer then shows the revision ACTIVE. At most `max` revisions, least recently used go first; a
 * TTL of 0 keeps nothing. Each read answers its own copy, so no caller changes another's.
 */
export class RevisionMemory<T extends object> {
  readonly #revisions: LRUCache<string, T> | undefined

  constructor(options: { ttlMs: number; max?: number }) {
    this.#revisions = shortMemory<T>(options.ttlMs, options.max ?? 500)
  }

  /** The revision `ref` (an ARN or `family:revision`) as last described here, if lately. */
  get(ref: string): T | undefined {
    const key = revisionKey(ref)
    const found = key ? this.#revisions?.get(key) : undefined
    return found ? structuredClone(found) : undefined
  }

  /** Remembers a described revision by its ref; a bare family (its latest, which moves) is not kept. */
  remember(ref: string, revision: T): void {
    const key = revisionKey(ref)
    if (key) this.#revisions?.set(key, structuredClone(revision))
  }

  /** Forgets revisions about to be deregistered or deleted. */
  forget(...refs: readonly string[]): void {
    for (const ref of refs) {
      const key = revisionKey(ref)
      if (key) this.#revisions?.delete(key)
    }
  }
}

/** `web:3` of `arn:aws:ecs:...:task-definition/web:3` or of `web:3`; undefined for a bare family. */
function revisionKey(ref: string): string | undefined {
  return /(?:^|:task-definition\/)([A-Za-z0-9_-]+:\d+)$/.exec(ref)?.[1]
}

const memories = new WeakMap<object, RevisionMemory<object>>()

/**
 * The memory of one account (its `Account` object, so apps never share one): made on first use with
 * `ttlMs` (the request context does); without `ttlMs`, only an existing one, or undefined (a
 * workflow run outside a request then has nothing to forget).
 */
export function revisionMemoryOf<T extends object>(account: object, ttlMs: number): RevisionMemory<T>
export function revisionMemoryOf<T extends object>(account: object): RevisionMemory<T> | undefined
export function revisionMemoryOf<T extends object>(account: object, ttlMs?: number): RevisionMemory<T> | undefined {
  let memory = memories.get(account)
  if (!memory && ttlMs !== undefined) {
    memory = new RevisionMemory<object>({ ttlMs })
    memories.set(account, memory)
  }
  return memory as RevisionMemory<T> | undefined
}

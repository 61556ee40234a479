import type { LRUCache } from 'lru-cache'
import { shortMemory } from './short-memory.js'

/**
 * What this process created for its org a short while ago, by name: a secret's ARN, a parameter's
 * full name. A delete of such a thing can go straight to the delete call instead of first reading it
 * back to check it is the org's. Why that is safe is each use case's to say (it relies on the thing
 * being gone, or replaced, showing in the delete's own answer); the TTL (`orgCacheSeconds`) bounds
 * what no answer shows, a tag changed outside this API. At most `max` names, least recently used go
 * first; a TTL of 0 keeps nothing.
 */
export class MadeHere<V extends object | string | boolean> {
  readonly #made: LRUCache<string, V> | undefined

  constructor(options: { ttlMs: number; max?: number }) {
    this.#made = shortMemory<V>(options.ttlMs, options.max ?? 5_000)
  }

  get(name: string): V | undefined {
    return this.#made?.get(name)
  }

  remember(name: string, value: V): void {
    this.#made?.set(name, value)
  }

  forget(...names: (string | undefined)[]): void {
    for (const name of names) if (name !== undefined) this.#made?.delete(name)
  }
}

/** What one account's use cases remember they created: secret ARNs by name (and ARN), parameters by full name. */
export interface MadeHereMemory {
  readonly secrets: MadeHere<string>
  readonly parameters: MadeHere<true>
}

const memories = new WeakMap<object, MadeHereMemory>()

/** The memory of one account (its `Account` object, so apps never share one), made on first use. */
export function madeHereOf(account: object, ttlMs: number): MadeHereMemory {
  let memory = memories.get(account)
  if (!memory) {
    memory = { secrets: new MadeHere<string>({ ttlMs }), parameters: new MadeHere<true>({ ttlMs }) }
    memories.set(account, memory)
  }
  return memory
}

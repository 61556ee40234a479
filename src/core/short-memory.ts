import { LRUCache } from 'lru-cache'

/**
 * A memory of what this process saw or made a short while ago: at most `max` entries, least
 * recently used go first, each for `ttlMs`; undefined when `ttlMs` is 0 (nothing is remembered, so
 * every caller asks AWS). Bounded by counted sizes rather than LRUCache's `max`, which would
 * allocate room for all entries up front (about 37 bytes each, for every account of a process, used
 * or not); this way it takes room only as it fills. `now`: the TTL's clock in ms (tests pass theirs).
 */
export function shortMemory<V extends object | string | boolean>(ttlMs: number, max: number, now?: () => number): LRUCache<string, V> | undefined {
  if (ttlMs <= 0) return undefined
  return new LRUCache<string, V>({
    maxSize: max,
    sizeCalculation: () => 1,
    ttl: ttlMs,
    ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
  })
}

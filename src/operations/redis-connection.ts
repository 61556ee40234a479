/** What the Redis store and the BullMQ queue share about their connections. */

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'redis://(unparseable url)'
  }
}

/** Connection options shared by the store and the queue: fail fast, reconnect in the background. */
export function redisOptions() {
  return { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000, commandTimeout: 5_000 }
}

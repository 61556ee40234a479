/**
 * Fan-out helpers: AWS APIs throttle per account, so calls that fan out run with bounded
 * concurrency, and calls that take a list take it in batches of the API's maximum.
 */

/** Default number of AWS calls one request keeps in flight at once. */
export const DEFAULT_CONCURRENCY = 8

/** Maps `items` through `fn`, at most `limit` at a time, keeping the order of `items`. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit: number = DEFAULT_CONCURRENCY,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
  return results
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** What became of one item of `settleWithConcurrency`. */
export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown }

/**
 * Like `mapWithConcurrency`, but every item is tried whatever became of the others: answers each
 * item's outcome, in the order of `items`. For cleanups that must say what they removed and what not.
 */
export async function settleWithConcurrency<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit: number = DEFAULT_CONCURRENCY,
): Promise<Settled<T, R>[]> {
  return mapWithConcurrency(
    items,
    (item, i) =>
      fn(item, i).then(
        (value): Settled<T, R> => ({ item, ok: true, value }),
        (error: unknown): Settled<T, R> => ({ item, ok: false, error }),
      ),
    limit,
  )
}

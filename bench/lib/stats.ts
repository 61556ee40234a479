/**
 * Percentiles by the nearest-rank method: the value at rank ceil(p/100 * n) of the sorted sample.
 * It always returns an observed value (no interpolation), so a p95 of 5 runs is the slowest run,
 * which is the honest answer for a small sample.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]!
}

export const median = (values: readonly number[]): number => percentile(values, 50)
export const p95 = (values: readonly number[]): number => percentile(values, 95)

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

import autocannon from 'autocannon'
import type { Client, Options, Result } from 'autocannon'

export type ResponseListener = (client: Client, status: number, bytes: number, ms: number) => void

/**
 * Runs autocannon to completion. The callback form is used because only it returns the instance,
 * whose `response` event carries each response's connection and latency.
 */
export function runLoad(options: Options, onResponse?: ResponseListener): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    const instance = autocannon(options, (err: Error | null, result: Result) => (err ? reject(err) : resolve(result)))
    if (onResponse) instance.on('response', onResponse)
  })
}

/**
 * "Direct" measurements: the AWS call the API would make, sent straight to the latency proxy with the
 * AWS SDK from the bench process (no API in between). The figures that compare with a direct call
 * report the API's figure minus and over this one, measured in the same run, so what the machine's
 * load does to both cancels out as far as it can.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { motoClientConfig } from '../../test/harness/moto.js'
import { BENCH_REGION } from './api-process.js'

/** SDK clients pointed at the proxy, with the SDK's defaults (keep-alive agent, 50 sockets), as the API's. */
export function directClients(proxyEndpoint: string): { secrets: SecretsManagerClient; logs: CloudWatchLogsClient; destroy(): void } {
  const cfg = motoClientConfig(proxyEndpoint, undefined, BENCH_REGION)
  const secrets = new SecretsManagerClient(cfg)
  const logs = new CloudWatchLogsClient(cfg)
  return { secrets, logs, destroy: () => (secrets.destroy(), logs.destroy()) }
}

export interface ConcurrentRun {
  /** Latency of each call, ms, in completion order. */
  latencies: number[]
  /** Calls completed per second between the first start and the last end. */
  perSecond: number
  /** From the first start to the last end, ms. */
  elapsedMs: number
  failures: number
  firstError?: string
}

/**
 * Runs `total` calls over `callers` concurrent callers, each starting its next call when its last one
 * ended (closed loop, like autocannon's connections without pipelining): caller c makes calls
 * `call(c)` until `total` have been started.
 */
export async function runConcurrent(callers: number, total: number, call: (caller: number) => Promise<unknown>): Promise<ConcurrentRun> {
  const latencies: number[] = []
  let started = 0
  let failures = 0
  let firstError: string | undefined
  let firstStart = Number.POSITIVE_INFINITY
  let lastEnd = Number.NEGATIVE_INFINITY
  const loop = async (caller: number): Promise<void> => {
    while (started < total) {
      started++
      const t = performance.now()
      firstStart = Math.min(firstStart, t)
      try {
        await call(caller)
      } catch (err) {
        failures++
        firstError ??= (err as Error).message
      }
      const end = performance.now()
      lastEnd = Math.max(lastEnd, end)
      latencies.push(end - t)
    }
  }
  await Promise.all(Array.from({ length: callers }, (_, c) => loop(c)))
  const elapsedMs = lastEnd - firstStart
  const perSecond = elapsedMs > 0 ? latencies.length / (elapsedMs / 1000) : Number.NaN
  return { latencies, perSecond, elapsedMs, failures, ...(firstError === undefined ? {} : { firstError }) }
}

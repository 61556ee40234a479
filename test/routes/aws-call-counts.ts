/**
 * Counting the AWS calls an app makes, through its own metrics (`ecs_api_aws_calls_total`): exact
 * numbers by `service:operation`, for tests that pin how many calls a route makes.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

/** AWS calls the app has made so far, `service:operation` to count. */
export async function awsCallsSoFar(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    const key = `${String(v.labels.service)}:${String(v.labels.operation)}`
    out[key] = (out[key] ?? 0) + v.value
  }
  return out
}

/** Sends one request and answers it with the AWS calls it made (by `service:operation`). */
export async function injectCounting(
  app: FastifyInstance,
  request: InjectOptions,
): Promise<{ res: LightMyRequestResponse; calls: Record<string, number> }> {
  const before = await awsCallsSoFar(app)
  const res = await app.inject(request)
  const after = await awsCallsSoFar(app)
  const calls: Record<string, number> = {}
  for (const [key, n] of Object.entries(after)) {
    const made = n - (before[key] ?? 0)
    if (made > 0) calls[key] = made
  }
  return { res, calls }
}

/** The number of calls in a count by operation. */
export const totalOf = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0)

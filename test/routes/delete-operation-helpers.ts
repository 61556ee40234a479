/**
 * Following the delete operations of the services and task-definition routes: to their end, and
 * through a retry of a failed one.
 */
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { waitFor } from '../operations/helpers.js'

export interface OperationBody {
  id: string
  status: string
  kind: string
  target: Record<string, string>
  steps: { id: string; status: string; attempts: number; error?: string }[]
  events?: { message: string }[]
  error?: { step?: string; code: string; message: string }
  runs: number
}

/** Polls the operation at `location` until it has finished (deadline 60 s). */
export async function finished(app: FastifyInstance, location: string): Promise<OperationBody> {
  return waitFor(
    `operation ${location}`,
    async () => {
      const res = await app.inject({ method: 'GET', url: location, headers: authHeaders })
      expect(res.statusCode, res.body).toBe(200)
      const op = res.json<OperationBody>()
      return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
    },
    60_000,
  )
}

/** Sends the DELETE, expects 202 and follows the operation it started to its end. */
export async function deleteAndFollow(app: FastifyInstance, url: string): Promise<OperationBody> {
  const res = await app.inject({ method: 'DELETE', url, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(202)
  return finished(app, String(res.headers.location))
}

/** Retries the failed operation, expects 202 for the same operation and follows it to its end. */
export async function retryAndFollow(app: FastifyInstance, op: OperationBody, account = 'main'): Promise<OperationBody> {
  const res = await app.inject({ method: 'POST', url: `/v1/ecs/${account}/operations/${op.id}/retry`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(202)
  expect(res.headers.location).toBe(`/v1/ecs/${account}/operations/${op.id}`)
  return finished(app, String(res.headers.location))
}

/** Each step's id and status. */
export const stepStatuses = (op: OperationBody): [string, string][] => op.steps.map((s) => [s.id, s.status])

/** The events the steps added (without the operation's own lifecycle lines). */
export const stepEvents = (op: OperationBody): string[] =>
  (op.events ?? []).map((e) => e.message).filter((m) => !/^(queued|started|succeeded|failed: |resumed |retry requested|step )/.test(m))

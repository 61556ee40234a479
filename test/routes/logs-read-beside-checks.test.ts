/**
 * The single-stream logs form reads the stream while the service's org check is still under way.
 * Against moto, with the app's own SDK clients made to hold one call until another has happened
 * (so the order is forced, not left to timing): a read started before the check answers only once
 * the check passed, a check that fails answers the same 404 as a check that finished first and
 * sends nothing of the logs, and a read still under way when the check fails is abandoned.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { CONTAINER, runServiceTask, seedLoggingService, writeLines } from './logs-fixtures.js'
import { motoClients, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

type ClientName = 'ecs' | 'logs'
interface Stack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'low'; name: string },
    ): void
  }
}

/** A promise with its resolver. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void
  const promise = new Promise<void>((resolve) => (fire = resolve))
  return { promise, fire }
}

/**
 * Watches `operation` of the app's `client`: `started` when a call is made, `settled` (with its
 * outcome) once AWS answered it; with `holdUntil`, the call waits for that promise before it goes out.
 */
function watch(app: FastifyInstance, client: ClientName, operation: string, holdUntil?: Promise<void>) {
  const started = signal()
  const settled = signal()
  const outcomes: string[] = []
  const clients = app.accounts.get('main')!.clients
  ;(clients[client] as unknown as Stack).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName !== `${operation}Command`) return next(args)
      started.fire()
      if (holdUntil) await holdUntil
      try {
        const out = await next(args)
        outcomes.push('ok')
        return out
      } catch (err) {
        outcomes.push((err as Error).name)
        throw err
      } finally {
        settled.fire()
      }
    },
    { step: 'initialize', priority: 'low', name: `watch-${operation}-${Math.random()}` },
  )
  return { started: started.promise, settled: settled.promise, outcomes }
}

/**
 * A service `name` (of `org`) whose task ECS knows, with three lines in its container's stream.
 * `own`: its revision logs where the API's own revisions do (the cluster's group, the family as prefix).
 */
async function seedServiceWithLogs(name: string, org?: string, own = false) {
  const clients = motoClients()
  const target = own ? { logGroup: 'space1', streamPrefix: `${name}-family` } : {}
  const { taskDefinitionArn } = await seedLoggingService(clients, name, { ...(org ? { org } : {}), ...target })
  const task = await runServiceTask(clients, taskDefinitionArn, name)
  const t0 = Date.now() - 60_000
  await writeLines(clients, task, [0, 1, 2].map((i) => [t0 + i, `secret line ${i} of ${name}`] as const), CONTAINER, target.logGroup, target.streamPrefix)
  return task
}

const logsUrl = (service: string, task: string) => `/v1/ecs/main/clusters/space1/services/${service}/logs?task=${task}&container=${CONTAINER}`

/** A problem answer without what differs from request to request. */
const problemOf = (body: string) => {
  const { instance: _i, requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>
  return rest
}

describe('service logs: the read beside the org check (against moto, calls held in order)', () => {
  it('a read made before the check passed is answered once it passed, the same bytes as when the check came first', async () => {
    const task = await seedServiceWithLogs('web', undefined, true)
    const app = await buildTestApp()
    try {
      const plain = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(plain.statusCode, plain.body).toBe(200)

      const read = watch(app, 'logs', 'GetLogEvents')
      const check = watch(app, 'ecs', 'DescribeServices', read.settled)
      const res = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(read.outcomes).toEqual(['ok'])
      expect(check.outcomes).toEqual(['ok'])
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['content-type']).toBe(plain.headers['content-type'])
      expect(res.body).toBe(plain.body)
      expect(res.json<{ Events: { Message: string }[] }>().Events.map((e) => e.Message)).toEqual([0, 1, 2].map((i) => `secret line ${i} of web`))
    } finally {
      await app.close()
    }
  })

  it("a service of another org is the same 404 when its stream was already read, and nothing of its logs is sent", async () => {
    const task = await seedServiceWithLogs('theirs', OTHER_ORG, true)
    const app = await buildTestApp()
    try {
      // The check first, as it always came before.
      const checkedFirst = watch(app, 'ecs', 'DescribeServices')
      const before = await app.inject({ url: logsUrl('theirs', task), headers: authHeaders })
      await checkedFirst.settled
      expect(before.statusCode, before.body).toBe(404)

      // Now the read of the other org's stream completes before the check answers.
      const read = watch(app, 'logs', 'GetLogEvents')
      watch(app, 'ecs', 'DescribeServices', read.settled)
      const res = await app.inject({ url: logsUrl('theirs', task), headers: authHeaders })
      expect(read.outcomes).toEqual(['ok'])
      expect(res.statusCode, res.body).toBe(404)
      expect(res.headers['content-type']).toBe(before.headers['content-type'])
      expect(problemOf(res.body)).toEqual(problemOf(before.body))
      expect(res.body).not.toContain('secret line')
    } finally {
      await app.close()
    }
  })

  it('a read still under way when the check fails is abandoned, and the answer is the 404 of the service', async () => {
    const task = await seedServiceWithLogs('theirs', OTHER_ORG, true)
    const app = await buildTestApp()
    try {
      // The check answers once the read has started; the read goes out only after the answer was sent.
      const answered = signal()
      const read = watch(app, 'logs', 'GetLogEvents', answered.promise)
      watch(app, 'ecs', 'DescribeServices', read.started)
      const res = await app.inject({ url: logsUrl('theirs', task), headers: authHeaders })
      answered.fire()
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json<{ detail: string }>().detail).toContain('service theirs not found')
      expect(res.body).not.toContain('secret line')
      await read.settled
      expect(read.outcomes).toEqual(['AbortError'])
    } finally {
      await app.close()
    }
  })

  it('a failing check is reported before a failing read, as when the check came first (injected failure)', async () => {
    // Logging where the API's own revisions do: one read, started before the check answers.
    const task = await seedServiceWithLogs('web', undefined, true)
    const checkFirst = await buildTestApp()
    const readFirst = await buildTestApp()
    try {
      // Each app: the service check fails; the read too (its stream "gone").
      failAwsCall(checkFirst, 'ecs', 'DescribeServices', awsError('ServiceUnavailableException', 503))
      failAwsCall(checkFirst, 'logs', 'GetLogEvents', awsError('ResourceNotFoundException', 400))
      const before = await checkFirst.inject({ url: logsUrl('web', task), headers: authHeaders })

      const read = watch(readFirst, 'logs', 'GetLogEvents')
      failAwsCall(readFirst, 'logs', 'GetLogEvents', awsError('ResourceNotFoundException', 400))
      watch(readFirst, 'ecs', 'DescribeServices', read.settled)
      failAwsCall(readFirst, 'ecs', 'DescribeServices', awsError('ServiceUnavailableException', 503))
      const res = await readFirst.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(read.outcomes).toEqual(['ResourceNotFoundException'])
      expect(res.statusCode, res.body).toBe(before.statusCode)
      expect(res.statusCode).toBeGreaterThanOrEqual(500)
      expect(problemOf(res.body)).toEqual(problemOf(before.body))
      expect(res.body).not.toContain('no logs')
    } finally {
      await checkFirst.close()
      await readFirst.close()
    }
  })

  it("a revision the API registered: its stream is read before the revision's lookup answers, and used once it confirmed it", async () => {
    const task = await seedServiceWithLogs('web', undefined, true)
    const app = await buildTestApp()
    try {
      const plain = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(plain.statusCode, plain.body).toBe(200)
      expect(plain.json<{ Events: unknown[] }>().Events).toHaveLength(3)

      const read = watch(app, 'logs', 'GetLogEvents')
      const revision = watch(app, 'ecs', 'DescribeTaskDefinition', read.settled)
      watch(app, 'ecs', 'DescribeServices', read.settled)
      const res = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(read.outcomes).toEqual(['ok'])
      expect(revision.outcomes).toEqual(['ok'])
      expect(res.statusCode, res.body).toBe(200)
      expect(res.body).toBe(plain.body)
    } finally {
      await app.close()
    }
  })

  it('a revision logging elsewhere: the stream the API would have named is read first, then abandoned for the revision\'s', async () => {
    const task = await seedServiceWithLogs('web')
    const app = await buildTestApp()
    try {
      const plain = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(plain.statusCode, plain.body).toBe(200)
      // The first read (of the cluster-named group, which does not exist) ends before the revision answers.
      const read = watch(app, 'logs', 'GetLogEvents')
      watch(app, 'ecs', 'DescribeTaskDefinition', read.settled)
      const res = await app.inject({ url: logsUrl('web', task), headers: authHeaders })
      expect(read.outcomes).toEqual(['ResourceNotFoundException', 'ok'])
      expect(res.statusCode, res.body).toBe(200)
      expect(res.body).toBe(plain.body)
    } finally {
      await app.close()
    }
  })

  it('a task of another service is a 404 even when its stream was read first', async () => {
    const clients = motoClients()
    await seedLoggingService(clients, 'web')
    const other = await seedServiceWithLogs('other')
    const app = await buildTestApp()
    try {
      const read = watch(app, 'logs', 'GetLogEvents')
      watch(app, 'ecs', 'DescribeServices', read.settled)
      const res = await app.inject({ url: logsUrl('web', other), headers: authHeaders })
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json<{ detail: string }>().detail).toContain(`task ${other} is not a task of service web`)
      expect(res.body).not.toContain('secret line')
    } finally {
      await app.close()
    }
  })
})

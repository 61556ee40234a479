/**
 * The audit trail over HTTP against moto: every change of a flow leaves exactly one record with its
 * target, the token's id and the caller's user, never a secret or parameter value (neither in the
 * records nor in the log); reads leave none; an operation's end is a record of its own; the audit
 * route filters, pages and refuses bad input.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { authHeaders, buildTestApp, testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'
import { createSchedule, schedulesUrl } from '../routes/schedules-fixtures.js'
import { createTaskDef } from '../routes/taskdefs-fixtures.js'

useMotoReset()

interface AuditRecord {
  Id: string
  Kind: string
  RequestId?: string
  TokenId?: string
  User?: string
  Account: string
  Org: string
  Space?: string
  Method?: string
  Route: string
  Target?: string
  TargetArns: string[]
  Status?: number
  Outcome: string
  OperationId?: string
  OperationKind?: string
  AwsRequestIds?: string[]
}

const CANARIES = ['canary-secret-value-7f3a', 'canary-secret-update-91bc', 'canary-param-value-44de', 'canary-param-update-0a1f']

async function audit(app: FastifyInstance, query = ''): Promise<AuditRecord[]> {
  const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/audit${query}`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<AuditRecord[]>()
}

describe('the audit trail', () => {
  it('keeps one record per change of a secret and parameter flow, with target, token id and user, and no value anywhere', async () => {
    const lines: string[] = []
    const config = await testConfig({ logLevel: 'info' })
    const app = await buildApp({ config, logStream: { write: (line: string) => void lines.push(line) } })
    onTestFinished(() => app.close())
    const headers = { ...authHeaders, 'x-forwarded-user': 'alice@example.edu' }
    const change = async (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
      return res
    }
    const created = await change('POST', '/v1/ecs/main/secrets', { Name: 'audited', SecretString: CANARIES[0] })
    expect(created.statusCode, created.body).toBe(200)
    const secretArn = created.json<{ ARN: string }>().ARN
    expect((await change('PUT', '/v1/ecs/main/secrets/audited', { Secret: CANARIES[1] })).statusCode).toBe(200)
    expect((await change('POST', '/v1/ecs/main/params/app', { Name: 'url', Value: CANARIES[2] })).statusCode).toBe(200)
    expect((await change('PUT', '/v1/ecs/main/params/app/url', { Value: CANARIES[3] })).statusCode).toBe(200)
    expect((await change('DELETE', '/v1/ecs/main/params/app/url')).statusCode).toBe(200)
    const missing = await change('DELETE', '/v1/ecs/main/params/app/never-made')
    expect(missing.statusCode).toBe(404)
    expect((await change('DELETE', '/v1/ecs/main/secrets/audited?window=0')).statusCode).toBe(200)
    // Reads and requests refused before their handler (a bad body) leave no record.
    await app.inject({ method: 'GET', url: '/v1/ecs/main/secrets/audited', headers })
    const badJson = await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: { ...headers, 'content-type': 'application/json' }, payload: '{not json' })
    expect(badJson.statusCode).toBe(400)

    const records = await audit(app)
    expect(records.map((r) => [r.Method, r.Route, r.Target, r.Status, r.Outcome])).toEqual([
      ['DELETE', '/v1/ecs/:account/secrets/:secret', 'secrets/audited', 200, 'succeeded'],
      ['DELETE', '/v1/ecs/:account/params/:prefix/:param', 'params/app/never-made', 404, 'rejected'],
      ['DELETE', '/v1/ecs/:account/params/:prefix/:param', 'params/app/url', 200, 'succeeded'],
      ['PUT', '/v1/ecs/:account/params/:prefix/:param', 'params/app/url', 200, 'succeeded'],
      ['POST', '/v1/ecs/:account/params/:prefix', 'params/app', 200, 'succeeded'],
      ['PUT', '/v1/ecs/:account/secrets/:secret', 'secrets/audited', 200, 'succeeded'],
      ['POST', '/v1/ecs/:account/secrets', 'secrets/audited', 200, 'succeeded'],
    ])
    for (const r of records) expect(r).toMatchObject({ Kind: 'request', TokenId: 'token-0', User: 'alice@example.edu', Account: 'main', Org: 'testorg' })
    expect(records.at(-1)).toMatchObject({ RequestId: created.headers['x-request-id'], TargetArns: [secretArn] })
    // The AWS writes of each change are named by their request ids; a refused delete made none.
    expect(records.at(-1)!.AwsRequestIds).toEqual([expect.any(String)])
    expect(records[1]!.AwsRequestIds).toBeUndefined()

    const everything = JSON.stringify(records) + lines.join('')
    for (const canary of CANARIES) expect(everything).not.toContain(canary)
    const auditLines = lines.map((l) => JSON.parse(l) as { logger?: string; audit?: AuditRecord }).filter((l) => l.logger === 'audit')
    expect(auditLines.map((l) => l.audit?.Id)).toEqual(records.map((r) => r.Id).reverse())

    // Filters: a target path and what is below it, an ARN, the time range.
    expect((await audit(app, '?target=secrets/audited')).map((r) => r.Method)).toEqual(['DELETE', 'PUT', 'POST'])
    expect((await audit(app, '?target=params')).length).toBe(4)
    expect((await audit(app, `?target=${encodeURIComponent(secretArn)}`)).map((r) => r.Method)).toEqual(['DELETE', 'PUT', 'POST'])
    expect(await audit(app, '?space=space1')).toEqual([])
    expect(await audit(app, '?until=1h')).toEqual([])
    expect((await audit(app, '?since=1h')).length).toBe(7)
  })

  it('records a task-definition create with its space, a delete with its operation, and the operation end', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    const deleted = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space1/taskdefs/job', headers: authHeaders })
    expect(deleted.statusCode, deleted.body).toBe(202)
    const operationId = deleted.headers['x-flywheel-task'] as string
    const records = await waitFor('the operation end record', async () => {
      const all = await audit(app)
      return all.some((r) => r.Kind === 'operation') ? all : undefined
    })
    expect(records.map((r) => [r.Kind, r.Route, r.Target, r.Space, r.OperationId])).toEqual([
      ['operation', 'operation taskdef.delete', expect.stringContaining('clusters/space1'), 'space1', operationId],
      ['request', '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef', 'clusters/space1/taskdefs/job', 'space1', operationId],
      ['request', '/v1/ecs/:account/taskdefs', 'clusters/space1/taskdefs/job', 'space1', undefined],
    ])
    expect(records[0]).toMatchObject({ Outcome: 'succeeded', OperationKind: 'taskdef.delete' })
    // What the create made: the revision and its repository-credentials secret.
    expect([...records[2]!.TargetArns].sort()).toEqual([expect.stringMatching(/:ecs:.*:task-definition\/job:1$/), expect.stringMatching(/:secretsmanager:.*:secret:spinup\/testorg\/space1\/api-cred-/)])
    expect(await audit(app, '?space=space1')).toHaveLength(3)
  })

  it('names a target as the route\'s path (a schedule change under its family, by the schedules segment) and the user of X-Spinup-User', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    await createSchedule(app)
    const url = `${schedulesUrl()}/nightly-report`
    // The portal's header names the user when X-Forwarded-User is absent.
    const headers = { ...authHeaders, 'x-spinup-user': 'bob@example.edu' }
    expect((await app.inject({ method: 'PUT', url, headers, payload: { expression: 'rate(1 hour)' } })).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204)
    const records = await audit(app, `?target=${encodeURIComponent('clusters/space1/taskdefs/job/schedules/nightly-report')}`)
    expect(records.map((r) => [r.Method, r.Route, r.Space, r.User])).toEqual([
      ['DELETE', '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef/schedules/:name', 'space1', 'bob@example.edu'],
      ['PUT', '/v1/ecs/:account/clusters/:cluster/taskdefs/:taskdef/schedules/:name', 'space1', 'bob@example.edu'],
    ])
  })

  it('pages newest first with limit=1, each record exactly once; refuses bad since, limit and next; 404 for an unknown account', async () => {
    const app = await buildTestApp()
    for (const name of ['a', 'b', 'c']) {
      expect((await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: name, Value: 'v' } })).statusCode).toBe(200)
    }
    const all = await audit(app)
    expect(all).toHaveLength(3)
    const seen: string[] = []
    let url = '/v1/ecs/main/audit?limit=1'
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({ method: 'GET', url, headers: authHeaders })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['x-items']).toBe('1')
      expect(res.headers['x-per-page']).toBe('1')
      seen.push(...res.json<AuditRecord[]>().map((r) => r.Id))
      const link = res.headers.link as string | undefined
      if (!link) break
      expect(link).toMatch(/^<\/v1\/ecs\/main\/audit\?limit=1&next=[\w-]+>; rel="next"$/)
      url = /^<([^>]+)>/.exec(link)![1]!
    }
    expect(seen).toEqual(all.map((r) => r.Id))

    const next = (await app.inject({ method: 'GET', url: '/v1/ecs/main/audit?limit=1', headers: authHeaders })).headers['x-next-token'] as string
    for (const [query, field] of [
      ['since=yesterday', 'since'],
      ['until=12:00', 'until'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['next=not-a-token', 'next'],
      [`next=${next}&target=params`, 'next'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/audit?${query}`, headers: authHeaders })
      expect(res.statusCode, query).toBe(400)
      expect(res.json<{ detail: string }>().detail, query).toContain(field)
    }
    expect((await app.inject({ method: 'GET', url: '/v1/ecs/nope/audit', headers: authHeaders })).statusCode).toBe(404)
  })
})

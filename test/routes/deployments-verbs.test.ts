/**
 * Waiting for a deployment, its timeline as server-sent events, rollback and abort, over HTTP
 * against moto behind the rollout simulator; bad input and other orgs' services change nothing.
 */
import { DescribeServicesCommand, ListClustersCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed, inProgress, type RolloutSimulator } from '../harness/rollout-simulator.js'
import { managedTags, motoClients, seedService, OTHER_ORG } from './services-fixtures.js'
import { create, createBody, servicesUrl, settled, simApp, simulator, updateImage } from './deployments-fixtures.js'
import { readUntil } from '../harness/sse.js'
import { waitFor } from '../operations/helpers.js'

useMotoReset()

const idOf = (res: { headers: Record<string, unknown> }) => res.headers['x-deployment-id'] as string

/** Service `web` created and settled SUCCEEDED on revision 1, then `images` deployed one by one, each SUCCEEDED. */
async function succeededHistory(sim: RolloutSimulator, app: FastifyInstance, images: string[] = []): Promise<string[]> {
  sim.script('web', [{ deployments: completed() }])
  const ids = [idOf(await create(app))]
  await settled(app, ids[0]!)
  for (const image of images) {
    sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
    const id = idOf(await updateImage(app, image))
    await settled(app, id)
    ids.push(id)
  }
  return ids
}

async function runningRevision(name = 'web', cluster = 'space1'): Promise<string | undefined> {
  const { ecs } = motoClients()
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))
  return out.services?.[0]?.taskDefinition
}

describe('waiting for the outcome (rollout simulator)', () => {
  it('Prefer: wait holds the update answer until the outcome and adds Deployment and Preference-Applied (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app)
    sim.script('web', [{ deployments: inProgress(0), polls: 3 }, { deployments: completed() }])
    const res = await updateImage(app, 'nginx:1.28', 'web', { prefer: 'wait=20' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['preference-applied']).toBe('wait=20')
    const body = res.json()
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['Cluster', 'Service', 'TaskDefinition', 'Credentials', 'CloudwatchLogGroups', 'Tags', 'Deployment']))
    expect(body.Deployment).toMatchObject({ Id: idOf(res), Kind: 'update', Outcome: 'SUCCEEDED', Revision: 2 })
  })

  it('?wait answers IN_PROGRESS when the wait runs out first (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: inProgress(1) }])
    const res = await create(app, createBody(), {}, '?wait=0.3')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['preference-applied']).toBe('wait=0.3')
    expect(res.json().Deployment).toMatchObject({ Id: idOf(res), Kind: 'create', Outcome: 'IN_PROGRESS', FinishedAt: null })
  })

  it('a bad wait is a 400 naming it, and nothing is created', async () => {
    const sim = await simulator()
    const app = await simApp(sim, { deployments: { maxWaitSeconds: 60 } })
    for (const [query, prefer, field] of [
      ['?wait=-1', undefined, 'wait'],
      ['?wait=soon', undefined, 'wait'],
      ['?wait=61', undefined, 'wait'],
      ['', 'wait=later', 'Prefer'],
    ] as const) {
      const res = await create(app, createBody(), prefer ? { prefer } : {}, query)
      expect(res.statusCode, `${query} ${prefer}`).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', field })
    }
    const { ecs } = motoClients()
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([])
  })
})

describe('the timeline as server-sent events (rollout simulator)', () => {
  it('streams the timeline until the outcome, then an end event; Last-Event-ID resumes after it (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [
      { deployments: inProgress(0), polls: 3 },
      { deployments: inProgress(1), polls: 3, events: ['has started 1 tasks'] },
      { deployments: completed() },
    ])
    const id = idOf(await create(app))
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const url = `${base}${servicesUrl()}/web/deployments/${id}`
    const res = await fetch(url, { headers: { ...authHeaders, accept: 'text/event-stream' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const text = await readUntil(res, (t) => t.includes('event: end'))
    expect(text.startsWith('retry: 3000\n\n')).toBe(true)
    expect(text).toContain('event: service-event\ndata: {')
    expect(text).toMatch(/event: deployment\ndata: \{[^\n]*"Outcome":"SUCCEEDED"/)
    const end = /event: end\ndata: (.*)\n/.exec(text)![1]!
    expect(JSON.parse(end)).toMatchObject({ Id: id, Outcome: 'SUCCEEDED' })
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))
    expect(ids).toEqual(ids.map((_, i) => i + 1))

    // A reconnect after the second event gets the rest only, then the end.
    const again = await fetch(url, { headers: { ...authHeaders, accept: 'text/event-stream', 'last-event-id': '2' } })
    const rest = await readUntil(again, (t) => t.includes('event: end'))
    const resumed = [...rest.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))
    expect(resumed).toEqual(ids.slice(2))
  })
})

describe('rollback (rollout simulator)', () => {
  it('goes back to the previous revision that SUCCEEDED, as a rollback deployment (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app, ['nginx:1.28'])
    expect(await runningRevision()).toMatch(/web-family:2$/)
    sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
    const res = await app.inject({ method: 'POST', url: `${servicesUrl()}/web/rollback`, headers: { ...authHeaders, prefer: 'wait=20' } })
    expect(res.statusCode, res.body).toBe(202)
    expect(res.headers.location).toBe(`${servicesUrl()}/web/deployments/${idOf(res)}`)
    expect(res.json()).toMatchObject({ Kind: 'rollback', Revision: 1, Outcome: 'SUCCEEDED', Images: [{ Image: 'nginx:1.27' }] })
    expect(await runningRevision()).toMatch(/web-family:1$/)
  })

  it('goes back to a chosen revision of its own family (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app, ['nginx:1.28', 'nginx:1.29'])
    const res = await app.inject({ method: 'POST', url: `${servicesUrl()}/web/rollback`, headers: authHeaders, payload: { revision: 1 } })
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({ Kind: 'rollback', Revision: 1 })
    expect(await runningRevision()).toMatch(/web-family:1$/)
  })

  it('a rollback retried with its Idempotency-Key starts one deployment and replays the first answer (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app, ['nginx:1.28', 'nginx:1.29'])
    const rollback = () =>
      app.inject({ method: 'POST', url: `${servicesUrl()}/web/rollback`, headers: { ...authHeaders, 'idempotency-key': 'back-to-1' }, payload: { revision: 1 } })
    const first = await rollback()
    expect(first.statusCode, first.body).toBe(202)
    await settled(app, idOf(first))
    const again = await rollback()
    expect(again.statusCode).toBe(202)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(idOf(again)).toBe(idOf(first))
    expect(again.body).toBe(first.body)
    const history = await app.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
    expect(history.json<{ Kind: string }[]>().filter((d) => d.Kind === 'rollback')).toHaveLength(1)
  })

  it('refuses a revision of another family, flavor or space (404 naming it), and nothing to roll back to (409); nothing changes (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app)
    const { ecs } = motoClients()
    await seedService(ecs, 'space1', 'other')
    const register = (tags: { key: string; value: string }[]) =>
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'web-family', cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'x', memory: 512 }], tags }))
    await register(managedTags('testorg', 'space2')) // web-family:2, another space
    await register(managedTags('testorg', 'space1', 'task')) // web-family:3, flavor task
    const before = sim.operations.filter((op) => op === 'UpdateService').length

    const rollback = (payload?: unknown) =>
      app.inject({ method: 'POST', url: `${servicesUrl()}/web/rollback`, headers: authHeaders, ...(payload ? { payload: payload } : {}) })
    for (const revision of ['other-family:1', 2, 3]) {
      const res = await rollback({ revision })
      expect(res.statusCode, `${revision}: ${res.body}`).toBe(404)
      expect(res.json().detail).toContain(typeof revision === 'number' ? `web-family:${revision}` : revision)
    }
    const none = await rollback()
    expect(none.statusCode, none.body).toBe(409)
    expect(none.json().detail).toMatch(/no earlier revision/)
    const bad = await rollback({ revision: 'latest please' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().field).toBe('revision')
    expect(sim.operations.filter((op) => op === 'UpdateService').length).toBe(before)
    expect(await runningRevision()).toMatch(/web-family:1$/)
  })
})

describe('abort (rollout simulator)', () => {
  it('aborts an IN_PROGRESS deployment: back to the last SUCCEEDED revision, the aborted one ABORTED (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    await succeededHistory(sim, app)
    sim.script('web', [{ deployments: inProgress(0, 1) }])
    const stuck = idOf(await updateImage(app, 'nginx:broken'))
    expect(await runningRevision()).toMatch(/web-family:2$/)

    const res = await app.inject({ method: 'POST', url: `${servicesUrl()}/web/deployments/${stuck}/abort`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
    expect(res.json()).toMatchObject({ Kind: 'abort', Aborts: stuck, Revision: 1 })
    expect(await runningRevision()).toMatch(/web-family:1$/)
    // moto offers no StopServiceDeployment: the abort went back with UpdateService.
    expect(sim.operations).toContain('ListServiceDeployments')
    expect(await settled(app, stuck)).toMatchObject({ Outcome: 'ABORTED', Reason: `aborted by deployment ${idOf(res)}` })
    expect(await settled(app, idOf(res))).toMatchObject({ Outcome: 'SUCCEEDED' })

    const again = await app.inject({ method: 'POST', url: `${servicesUrl()}/web/deployments/${stuck}/abort`, headers: authHeaders })
    expect(again.statusCode).toBe(409)
    expect(again.json().detail).toMatch(/already ended \(ABORTED\)/)
  })

  it('an abort retried with its Idempotency-Key replays the first answer and starts nothing; each deployment end leaves one audit record (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    const [created] = await succeededHistory(sim, app)
    sim.script('web', [{ deployments: inProgress(0, 1) }])
    const stuck = idOf(await updateImage(app, 'nginx:broken'))
    const abort = () => app.inject({ method: 'POST', url: `${servicesUrl()}/web/deployments/${stuck}/abort`, headers: { ...authHeaders, 'idempotency-key': 'abort-broken' } })
    const first = await abort()
    expect(first.statusCode, first.body).toBe(202)
    sim.script('web', [{ deployments: inProgress(1) }, { deployments: completed() }])
    expect(await settled(app, idOf(first))).toMatchObject({ Outcome: 'SUCCEEDED' })
    expect(await settled(app, stuck)).toMatchObject({ Outcome: 'ABORTED' })
    const updates = sim.operations.filter((op) => op === 'UpdateService').length

    const again = await abort()
    expect(again.statusCode).toBe(202)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(first.body)
    expect(sim.operations.filter((op) => op === 'UpdateService').length).toBe(updates)
    const history = await app.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
    expect(history.json<{ Kind: string }[]>().filter((d) => d.Kind === 'abort')).toHaveLength(1)

    // The create, the update and the abort each ended: one operation record apiece, named by the deployment's id.
    const ids = [created!, stuck, idOf(first)]
    const ends = await waitFor('the three deployment ends in the audit trail', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/audit?target=clusters/space1/services/web', headers: authHeaders })
      const records = res.json<{ Kind: string; OperationId?: string; OperationKind?: string; Space?: string; Result?: string }[]>().filter((r) => r.Kind === 'operation')
      return records.length >= ids.length ? records : undefined
    })
    expect(ends.map((r) => r.OperationId).sort()).toEqual([...ids].sort())
    for (const end of ends) expect(end).toMatchObject({ OperationKind: 'service.deployment', Space: 'space1', Outcome: 'succeeded' })
    // The tracking of each ran to its end; what each deployment came to is its Result.
    expect(Object.fromEntries(ends.map((r) => [r.OperationId, r.Result]))).toEqual({ [created!]: 'SUCCEEDED', [stuck]: 'ABORTED', [idOf(first)]: 'SUCCEEDED' })
    // The abort request itself is one request record, whose operation is the abort deployment.
    const requests = (await app.inject({ method: 'GET', url: `/v1/ecs/main/audit?target=${encodeURIComponent(`clusters/space1/services/web/deployments/${stuck}`)}`, headers: authHeaders })).json<{ Kind: string; OperationId?: string }[]>()
    expect(requests).toEqual([expect.objectContaining({ Kind: 'request', OperationId: idOf(first) })])
  })

  it('unknown ids and other orgs’ services are 404 on every deployment route', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    const [id] = await succeededHistory(sim, app)
    const { ecs } = motoClients()
    await seedService(ecs, 'foreign', 'theirs', { org: OTHER_ORG })
    const cases: [string, string][] = [
      ['GET', `${servicesUrl()}/web/deployments/0190a000-0000-7000-8000-000000000000`],
      ['POST', `${servicesUrl()}/web/deployments/0190a000-0000-7000-8000-000000000000/abort`],
      ['GET', `${servicesUrl()}/api/deployments/${id}`],
      ['GET', `${servicesUrl('space2')}/web/deployments/${id}`],
      ['GET', `${servicesUrl('foreign')}/theirs/deployments`],
      ['POST', `${servicesUrl('foreign')}/theirs/rollback`],
      ['GET', `${servicesUrl('space1', 'other')}/web/deployments/${id}`],
    ]
    for (const [method, url] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers: authHeaders })
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404)
    }
  })
})

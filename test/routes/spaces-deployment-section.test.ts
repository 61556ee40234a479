/**
 * The space summary's `Deployment` section: each service the API deployed shows its latest tracked
 * deployment and the outcome of the last one that ended, read from the operations store (no AWS
 * call), over HTTP against moto behind the rollout simulator. A service the API never deployed has
 * no section; a store that cannot be read names the section as incomplete and the rest stands.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, vi } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed, inProgress } from '../harness/rollout-simulator.js'
import { documentValidator, operations, servedDocument, type Json } from '../http/openapi/document.js'
import { create, settled, simApp, simulator, updateImage } from './deployments-fixtures.js'
import { motoClients, seedService } from './services-fixtures.js'

useMotoReset()

type Entry = Record<string, unknown>

async function summary(app: FastifyInstance): Promise<{ Services: Entry[]; [key: string]: unknown }> {
  const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces/space1', headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const service = (body: { Services: Entry[] }, name: string) => body.Services.find((s) => s.ServiceName === name)

describe('GET /v1/ecs/{account}/spaces/{space}: the Deployment section (rollout simulator)', () => {
  it('shows the latest deployment of each deployed service and the last outcome, none for a service the API never deployed (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    const first = await settled(app, created.headers['x-deployment-id'] as string)
    // The update rolls out for good: it is the current deployment, the create the last that ended.
    sim.script('web', [{ deployments: inProgress(1, 1) }])
    const update = await updateImage(app, 'nginx:1.28')
    expect(update.statusCode, update.body).toBe(200)
    await seedService(motoClients().ecs, 'space1', 'batch')

    const body = await summary(app)
    expect(service(body, 'web')?.Deployment).toEqual({
      Id: update.headers['x-deployment-id'],
      Kind: 'update',
      Outcome: 'IN_PROGRESS',
      StartedAt: expect.any(String),
      FinishedAt: null,
      LastOutcome: 'SUCCEEDED',
    })
    expect(service(body, 'batch')).toBeDefined()
    expect(service(body, 'batch')).not.toHaveProperty('Deployment')
    expect(body).not.toHaveProperty('IncompleteSections')

    // Once the update ended, it is both the current deployment and the last outcome.
    sim.script('web', [{ deployments: completed() }])
    const ended = await settled(app, update.headers['x-deployment-id'] as string)
    const after = service(await summary(app), 'web')?.Deployment as Entry
    expect(after).toMatchObject({ Id: ended.Id, Outcome: 'SUCCEEDED', FinishedAt: ended.FinishedAt, LastOutcome: 'SUCCEEDED' })
    expect(first.Outcome).toBe('SUCCEEDED')

    // The answer is what the served document says of the route.
    const doc = await servedDocument(app)
    const route = operations(doc).find((o) => o.method === 'get' && o.path === '/v1/ecs/{account}/spaces/{space}')!
    const schema = ((route.op.responses as Record<string, Json>)['200']!.content as Record<string, { schema: Json }>)['application/json']!.schema
    expect(documentValidator(doc)(schema, body)).toBeUndefined()
    expect(JSON.stringify(schema)).toContain('LastOutcome')
  })

  it('names the section incomplete when the operations store cannot be read, and keeps the rest (injected failure)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    await settled(app, (await create(app)).headers['x-deployment-id'] as string)
    vi.spyOn(app.operations, 'list').mockRejectedValue(new Error('operation store unavailable'))

    const body = await summary(app)
    expect(body.IncompleteSections).toEqual(['Deployment'])
    expect(service(body, 'web')).toMatchObject({ ServiceName: 'web', DesiredCount: 2 })
    expect(service(body, 'web')).not.toHaveProperty('Deployment')
  })
})

/**
 * What deployments ask of ECS, over HTTP against moto behind the rollout simulator: watchers (streams
 * and reads of the deployment) read the store, so a watched service gets exactly the ECS reads an
 * unwatched one gets; an abort stops the deployment with StopServiceDeployment (stopType ROLLBACK)
 * where the account's ECS offers it, without an UpdateService.
 */
import { describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed, inProgress, type SimStep, type WireService } from '../harness/rollout-simulator.js'
import { readUntil } from '../harness/sse.js'
import { waitFor } from '../operations/helpers.js'
import { create, createBody, getDeployment, servicesUrl, settled, simApp, simulator, updateImage } from './deployments-fixtures.js'

useMotoReset()

const idOf = (res: { headers: Record<string, unknown> }) => res.headers['x-deployment-id'] as string

describe('deployments and their ECS calls (rollout simulator)', () => {
  it('one tracker reads a service per round however many callers watch: a watched service gets the DescribeServices calls of an unwatched one (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    const steps = (): SimStep[] => [{ deployments: inProgress(0), polls: 6 }, { deployments: inProgress(1), polls: 3 }, { deployments: completed() }]
    sim.script('quiet', steps())
    sim.script('watched', steps())
    const quiet = idOf(await create(app, createBody('quiet')))
    const watched = idOf(await create(app, createBody('watched')))

    // Five streams and a reader polling the deployment while it rolls out.
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const url = `${base}${servicesUrl()}/watched/deployments/${watched}`
    const streams = Array.from({ length: 5 }, async () => {
      const res = await fetch(url, { headers: { ...authHeaders, accept: 'text/event-stream' } })
      return readUntil(res, (t) => t.includes('event: end'))
    })
    let reads = 0
    const read = waitFor('the watched deployment to end', async () => {
      reads += 1
      return (await getDeployment(app, watched, 'watched')).Outcome !== 'IN_PROGRESS'
    })
    for (const text of await Promise.all(streams)) expect(text).toMatch(/event: end\ndata: \{[^\n]*"Outcome":"SUCCEEDED"/)
    await read
    expect(reads).toBeGreaterThan(1)
    expect(await settled(app, quiet, 'quiet')).toMatchObject({ Outcome: 'SUCCEEDED' })

    // Both scripts ran through the same looks: the watchers added no ECS reads.
    expect(sim.describeCalls('watched')).toBe(sim.describeCalls('quiet'))
  })

  it('an abort stops the deployment with StopServiceDeployment (stopType ROLLBACK) where ECS offers it, no UpdateService (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const first = await settled(app, idOf(await create(app)))
    const good = first.TaskDefinition as string
    sim.script('web', [{ deployments: inProgress(0, 1) }])
    const stuck = idOf(await updateImage(app, 'nginx:broken'))
    sim.offerServiceDeployments('web')
    const updatesBefore = sim.operations.filter((op) => op === 'UpdateService').length

    const res = await app.inject({ method: 'POST', url: `${servicesUrl()}/web/deployments/${stuck}/abort`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    // ECS goes back by itself after the stop: its PRIMARY then runs the revision that succeeded.
    const back = (s: WireService) => completed()({ ...s, taskDefinition: good })
    sim.script('web', [{ deployments: back }])
    expect(res.json()).toMatchObject({ Kind: 'abort', Aborts: stuck, Revision: 1, TaskDefinition: good })
    expect(sim.stopRequests).toEqual([{ serviceDeploymentArn: expect.stringContaining('service-deployment/'), stopType: 'ROLLBACK' }])
    expect(sim.operations.filter((op) => op === 'UpdateService').length).toBe(updatesBefore)

    expect(await settled(app, stuck)).toMatchObject({ Outcome: 'ABORTED', Reason: `aborted by deployment ${idOf(res)}` })
    expect(await settled(app, idOf(res))).toMatchObject({ Kind: 'abort', Outcome: 'SUCCEEDED' })
  })

  it('abort refusals change nothing in ECS: nothing that succeeded to go back to (409), a deployment that ended (409) (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: inProgress(0), polls: 1_000 }])
    sim.offerServiceDeployments('web')
    const id = idOf(await create(app))
    const changes = () => sim.operations.filter((op) => op === 'UpdateService' || op === 'StopServiceDeployment').length
    const before = changes()
    const abort = () => app.inject({ method: 'POST', url: `${servicesUrl()}/web/deployments/${id}/abort`, headers: authHeaders })

    const early = await abort()
    expect(early.statusCode, early.body).toBe(409)
    expect(early.json()).toMatchObject({ code: 'Conflict', detail: expect.stringMatching(/no revision that deployed successfully/) })

    sim.script('web', [{ deployments: completed() }])
    expect(await settled(app, id)).toMatchObject({ Outcome: 'SUCCEEDED' })
    const late = await abort()
    expect(late.statusCode, late.body).toBe(409)
    expect(late.json().detail).toMatch(/already ended \(SUCCEEDED\)/)
    expect(changes()).toBe(before)
    expect(sim.stopRequests).toEqual([])
  })
})


/**
 * Deployment outcomes over HTTP, against moto behind the rollout simulator: a create and an update
 * are tracked deployments that end SUCCEEDED, FAILED, ROLLED_BACK (never a success) or FAILED at
 * their deadline; the answers keep their shape and gain X-Deployment-Id and Location.
 */
import type { CreateServiceCommandInput } from '@aws-sdk/client-ecs'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed, failed, inProgress, rolledBack, rollingBack } from '../harness/rollout-simulator.js'
import { captureAwsCalls } from './aws-fault.js'
import { startFakeServer } from '../harness/registry.js'
import { create, createBody, servicesUrl, settled, simApp, simulator, updateImage } from './deployments-fixtures.js'

useMotoReset()

describe('deployment outcomes (rollout simulator)', () => {
  it('a create is a deployment that SUCCEEDED once the new deployment is PRIMARY, COMPLETED and all tasks run (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [
      { deployments: inProgress(0), polls: 2 },
      { deployments: inProgress(1), polls: 2, events: ['has started 2 tasks'] },
      {
        deployments: completed(),
        runningTasks: [
          { containers: [{ name: 'app', image: 'nginx:1.27', imageDigest: 'sha256:' + 'a'.repeat(64) }] },
          { containers: [{ name: 'app', image: 'nginx:1.27', imageDigest: 'sha256:' + 'a'.repeat(64) }] },
        ],
      },
    ])
    const res = await create(app)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(Object.keys(body).sort()).toEqual(['Cluster', 'Credentials', 'Service', 'ServiceDiscoveryService', 'TaskDefinition'])
    const id = res.headers['x-deployment-id'] as string
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers.location).toBe(`/v1/ecs/main/clusters/space1/services/web/deployments/${id}`)
    expect(String(res.headers['access-control-expose-headers'])).toContain('X-Deployment-Id')

    const d = await settled(app, id)
    expect(d).toMatchObject({
      Id: id,
      Kind: 'create',
      Outcome: 'SUCCEEDED',
      ServiceName: 'web',
      Revision: 1,
      DesiredCount: 2,
      RunningCount: 2,
      Images: [{ Container: 'app', Image: 'nginx:1.27' }],
      ImageDigests: [{ Container: 'app', Image: 'nginx:1.27', Digest: 'sha256:' + 'a'.repeat(64) }],
      RequestId: res.headers['x-request-id'],
    })
    expect(d.TokenId).toMatch(/^token-\d+$/)
    expect(JSON.stringify(d)).not.toContain('test-token')
    expect(d.FinishedAt).toEqual(expect.any(String))
    const timeline = d.Timeline as Record<string, unknown>[]
    expect(timeline.filter((e) => e.Type === 'service-event').map((e) => e.Message)).toEqual(['(service web) has started 2 tasks'])
    expect(timeline.at(-1)).toMatchObject({ Type: 'deployment', Outcome: 'SUCCEEDED' })
  })

  it('the circuit breaker is on with rollback unless the request sets a deployment configuration (CreateService input captured: moto keeps none)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    const sent = captureAwsCalls(app, 'ecs', 'CreateService') as CreateServiceCommandInput[]
    expect((await create(app)).statusCode).toBe(200)
    const own = { deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 } }
    expect((await create(app, createBody('api', 'space1', own))).statusCode).toBe(200)
    const config = Object.fromEntries(sent.map((s) => [s.serviceName, s.deploymentConfiguration]))
    expect(config.web).toEqual({ deploymentCircuitBreaker: { enable: true, rollback: true } })
    expect(config.api).toEqual({ maximumPercent: 150, minimumHealthyPercent: 50 })
  })

  it('an update to a new revision whose tasks fail is FAILED, with the stopped tasks, stop codes, reasons and exit codes (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    await settled(app, created.headers['x-deployment-id'] as string)

    sim.script('web', [
      { deployments: inProgress(0), polls: 2 },
      {
        deployments: inProgress(0, 2),
        polls: 2,
        stoppedTasks: [
          { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found', containers: [{ name: 'app', reason: 'CannotPullContainerError' }] },
          { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] },
        ],
      },
      { deployments: failed(2) },
    ])
    const res = await updateImage(app, 'nginx:does-not-exist')
    expect(res.statusCode, res.body).toBe(200)
    expect(Object.keys(res.json())).not.toContain('Deployment')
    const d = await settled(app, res.headers['x-deployment-id'] as string)
    expect(d).toMatchObject({ Kind: 'update', Outcome: 'FAILED', Revision: 2, FailedCount: 2, Images: [{ Container: 'app', Image: 'nginx:does-not-exist' }] })
    expect(d.Reason).toMatch(/circuit breaker/)
    const stopped = (d.Timeline as Record<string, unknown>[]).filter((e) => e.Type === 'task-stopped').map((e) => e.Task)
    expect(stopped).toHaveLength(2)
    expect(stopped[0]).toMatchObject({ StopCode: 'TaskFailedToStart', StoppedReason: expect.stringContaining('CannotPullContainerError'), Containers: [{ Name: 'app', Reason: 'CannotPullContainerError' }] })
    expect(stopped[1]).toMatchObject({ StopCode: 'EssentialContainerExited', Containers: [{ Name: 'app', ExitCode: 137 }] })
  })

  it('a circuit-breaker rollback is ROLLED_BACK, never a success, and the history lists it (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    const first = await settled(app, created.headers['x-deployment-id'] as string)
    const previous = first.TaskDefinition as string

    sim.script('web', [
      { deployments: inProgress(0, 1), polls: 2 },
      { deployments: rollingBack(previous), polls: 2, events: ['(deployment ecs-svc/sim2) deployment failed: tasks failed to start.', 'rolling back to deployment ecs-svc/simrollback'] },
      { deployments: rolledBack(previous) },
    ])
    const res = await updateImage(app, 'nginx:broken')
    const d = await settled(app, res.headers['x-deployment-id'] as string)
    expect(d.Outcome).toBe('ROLLED_BACK')

    const list = await app.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
    expect(list.statusCode).toBe(200)
    expect(list.json().map((x: Record<string, unknown>) => [x.Kind, x.Outcome])).toEqual([
      ['update', 'ROLLED_BACK'],
      ['create', 'SUCCEEDED'],
    ])
  })

  it('a deployment that has no outcome by its deadline is FAILED, naming the deadline (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim, { deployments: { deadlineSeconds: 0.3 } })
    sim.script('web', [{ deployments: inProgress(1) }])
    const res = await create(app)
    const d = await settled(app, res.headers['x-deployment-id'] as string)
    // Not the running count: on a busy machine the deadline may pass before the tracker's first look.
    expect(d).toMatchObject({ Outcome: 'FAILED' })
    expect(d.Reason).toMatch(/deadline passed/)
  })

  it('a tag-only update is not a deployment: no X-Deployment-Id', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    expect((await create(app)).statusCode).toBe(200)
    const res = await app.inject({ method: 'PUT', url: `${servicesUrl()}/web`, headers: authHeaders, payload: { tags: [{ Key: 'Team', Value: 'red' }] } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['x-deployment-id']).toBeUndefined()
    expect(res.headers.location).toBeUndefined()
  })

  it('says ImageDrift when a tag now points at another digest than the running one; an image the registry does not answer is skipped (rollout simulator, fake registry)', async () => {
    const running = 'sha256:' + 'a'.repeat(64)
    const now = 'sha256:' + 'b'.repeat(64)
    const registry = await startFakeServer((req, res) => {
      if (req.method === 'HEAD' && req.url === '/v2/team/app/manifests/1.0') {
        res.writeHead(200, { 'docker-content-digest': now, 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      } else {
        res.writeHead(404)
      }
      res.end()
    })
    onTestFinished(() => registry.close())
    const sim = await simulator()
    const hosts = [registry.host]
    const app = await simApp(sim, { images: { allowedPrivateHosts: hosts, insecureHosts: hosts } })
    const image = `${registry.host}/team/app:1.0`
    const gone = `${registry.host}/team/gone:1.0`
    sim.script('web', [
      {
        deployments: completed(),
        runningTasks: [{ containers: [{ name: 'app', image, imageDigest: running }, { name: 'side', image: gone, imageDigest: running }] }],
      },
    ])
    const body = createBody()
    body.taskDefinition.containerDefinitions = [
      { name: 'app', image },
      { name: 'side', image: gone },
    ]
    const res = await create(app, body)
    expect(res.statusCode, res.body).toBe(200)
    const d = await settled(app, res.headers['x-deployment-id'] as string)
    expect(d.Outcome).toBe('SUCCEEDED')
    expect(d.ImageDigests).toEqual([
      { Container: 'app', Image: image, Digest: running },
      { Container: 'side', Image: gone, Digest: running },
    ])
    expect(d.ImageDrift).toEqual([{ Container: 'app', Image: image, RunningDigest: running, TagDigest: now }])
  })
})

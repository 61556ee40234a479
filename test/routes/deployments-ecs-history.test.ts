/**
 * A service's deployment history with ECS's own list beside the API's, over HTTP against moto behind
 * the rollout simulator (moto has no ListServiceDeployments or DescribeServiceRevisions; the
 * simulator answers them for the services a test gives a list): ECS's entry of a deployment the API
 * made is listed once, as the API's with ECS's ARN; the others are `external`, with ECS's status in
 * the API's outcomes and the revision ECS describes.
 */
import { describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { completed } from '../harness/rollout-simulator.js'
import { create, servicesUrl, settled, simApp, simulator } from './deployments-fixtures.js'

useMotoReset()

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/space1/web'
const seconds = (iso: string): number => Date.parse(iso) / 1000

async function history(app: Awaited<ReturnType<typeof simApp>>): Promise<Record<string, unknown>[]> {
  const res = await app.inject({ method: 'GET', url: `${servicesUrl()}/web/deployments`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe("deployment history with ECS's own list (rollout simulator)", () => {
  it("lists the API's deployment once, with ECS's ARN, and ECS's other deployments as external, newest first (rollout simulator)", async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    expect(created.statusCode, created.body).toBe(200)
    const ours = await settled(app, created.headers['x-deployment-id'] as string)
    const revision = ours.TaskDefinition as string
    const older = revision.replace(/:\d+$/, ':7')
    const startedAt = seconds(ours.StartedAt as string)

    // ECS lists the API's create (a second before the API recorded it), a console deployment a day
    // earlier and one the circuit breaker rolled back in between.
    sim.addEcsDeployment('web', { arn: `${ARN}/ours`, status: 'SUCCESSFUL', createdAt: startedAt - 1, taskDefinition: revision })
    sim.addEcsDeployment('web', {
      arn: `${ARN}/console`,
      status: 'SUCCESSFUL',
      createdAt: startedAt - 86_400,
      finishedAt: startedAt - 86_000,
      taskDefinition: older,
      images: [{ containerName: 'app', image: 'nginx:1.25', imageDigest: 'sha256:abc' }],
    })
    sim.addEcsDeployment('web', {
      arn: `${ARN}/broken`,
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'circuit breaker: tasks failed to start',
      createdAt: startedAt - 3_600,
      taskDefinition: older.replace(/:7$/, ':8'),
    })

    const listed = await history(app)
    expect(listed.map((d) => d.Id)).toEqual([ours.Id, `${ARN}/broken`, `${ARN}/console`])
    expect(listed[0]).toMatchObject({ Kind: 'create', Outcome: 'SUCCEEDED', EcsDeploymentArn: `${ARN}/ours`, TaskDefinition: revision })
    expect(listed[1]).toMatchObject({
      Kind: 'external',
      Outcome: 'ROLLED_BACK',
      EcsStatus: 'ROLLBACK_SUCCESSFUL',
      Reason: 'circuit breaker: tasks failed to start',
      Revision: 8,
      FinishedAt: null,
      RequestId: null,
      TokenId: null,
    })
    expect(listed[2]).toMatchObject({
      Kind: 'external',
      Outcome: 'SUCCEEDED',
      TaskDefinition: older,
      Revision: 7,
      Images: [{ Container: 'app', Image: 'nginx:1.25' }],
      ImageDigests: [{ Container: 'app', Image: 'nginx:1.25', Digest: 'sha256:abc' }],
      StartedAt: new Date((startedAt - 86_400) * 1000).toISOString(),
      FinishedAt: new Date((startedAt - 86_000) * 1000).toISOString(),
    })
    expect(listed[2]).not.toHaveProperty('Deadline')
  })

  it("keeps ECS's entry of another revision at the same moment apart from the API's (rollout simulator)", async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    const ours = await settled(app, created.headers['x-deployment-id'] as string)
    const other = (ours.TaskDefinition as string).replace(/:\d+$/, ':42')
    sim.addEcsDeployment('web', { arn: `${ARN}/elsewhere`, status: 'IN_PROGRESS', createdAt: seconds(ours.StartedAt as string), taskDefinition: other })

    const listed = await history(app)
    expect(listed).toHaveLength(2)
    expect(listed.find((d) => d.Id === ours.Id)).not.toHaveProperty('EcsDeploymentArn')
    expect(listed.find((d) => d.Kind === 'external')).toMatchObject({ Id: `${ARN}/elsewhere`, Outcome: 'IN_PROGRESS', Revision: 42 })
  })

  it("without ECS's list (moto alone) the history is the API's own, as before (rollout simulator)", async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    const ours = await settled(app, created.headers['x-deployment-id'] as string)
    const listed = await history(app)
    expect(listed.map((d) => d.Id)).toEqual([ours.Id])
    expect(listed[0]).not.toHaveProperty('EcsDeploymentArn')
    expect(sim.operations).toContain('ListServiceDeployments')
  })
})

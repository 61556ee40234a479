/**
 * The diagnosis reads the service's current deployment from what the API tracked (the operations
 * store, no AWS call of its own): its id, kind, outcome and reason beside ECS's rollout state, over
 * HTTP against moto behind the rollout simulator. A service the API never deployed falls back to
 * DescribeServices' PRIMARY (diagnosis.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { useMotoReset } from '../harness/index.js'
import { completed, inProgress, rolledBack, rollingBack } from '../harness/rollout-simulator.js'
import { create, servicesUrl, settled, simApp, simulator, updateImage } from './deployments-fixtures.js'

useMotoReset()

const diagnosisUrl = `${servicesUrl()}/web/diagnosis`

describe('the diagnosis shows the tracked deployment (rollout simulator)', () => {
  it('a rolled-back update: its id, kind, outcome and reason, and the AWS call rounds stay as they were (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: completed() }])
    const created = await create(app)
    const first = await settled(app, created.headers['x-deployment-id'] as string)
    sim.script('web', [
      { deployments: inProgress(0, 1), polls: 2 },
      { deployments: rollingBack(first.TaskDefinition as string), polls: 2 },
      { deployments: rolledBack(first.TaskDefinition as string) },
    ])
    const update = await updateImage(app, 'nginx:broken')
    const id = update.headers['x-deployment-id'] as string
    const ended = await settled(app, id)
    expect(ended.Outcome).toBe('ROLLED_BACK')

    const rounds = new CallRounds()
    rounds.attach(app.accounts.get('main')!.clients.ecs)
    rounds.attach(app.accounts.get('main')!.clients.logs)
    const res = await app.inject({ url: diagnosisUrl, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.Deployment).toMatchObject({
      Id: id,
      Kind: 'update',
      Outcome: 'ROLLED_BACK',
      Reason: ended.Reason,
      TaskDefinition: ended.TaskDefinition,
      Source: 'tracked',
    })
    expect(body.Deployment.Reason).toEqual(expect.any(String))
    expect(body.Summary).toContain('update deployment rolled back')
    // The store read runs beside the first round: no round is added for it.
    expect(rounds.rounds[0]).toEqual(['DescribeServices', 'ListTasks'])
    expect(rounds.rounds.length).toBeLessThanOrEqual(4)
  })

  it('a create still rolling out: outcome IN_PROGRESS with the live rollout state and counts of its ECS deployment (rollout simulator)', async () => {
    const sim = await simulator()
    const app = await simApp(sim)
    sim.script('web', [{ deployments: inProgress(1) }])
    const created = await create(app)
    expect(created.statusCode, created.body).toBe(200)
    const id = created.headers['x-deployment-id'] as string

    const res = await app.inject({ url: diagnosisUrl, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.Deployment).toMatchObject({
      Id: id,
      Kind: 'create',
      Outcome: 'IN_PROGRESS',
      Reason: null,
      Status: 'PRIMARY',
      RolloutState: 'IN_PROGRESS',
      RunningCount: 1,
      DesiredCount: 2,
      Source: 'tracked',
    })
    expect(body.Deployment.EcsDeploymentId).toMatch(/^ecs-svc\//)
    expect(body.Summary).toContain('deployment in progress')
  })
})

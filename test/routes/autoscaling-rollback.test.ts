/**
 * Rollback of the autoscaling workflows: an AWS call failing at each step (injected inside the app's
 * own client, as AWS would answer it) leaves the service's previous setting in moto as it was, and
 * the answer says what was rolled back. A compensation that fails too is handed to a tracked
 * operation that finishes it.
 */
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { autoscalingUrl, NOTHING, putSetting, scalingClients, scalingSnapshot, seedScalableService, type ScalingClients } from './autoscaling-fixtures.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { finished } from './delete-operation-helpers.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const RESOURCE = 'service/space1/web'

/** What the service has before each failing request. */
const BEFORE = {
  min: 1,
  max: 4,
  targets: { cpu: 50, memory: 70 },
  scaleInCooldown: 120,
  schedules: [
    { name: 'mornings', cron: 'cron(0 8 ? * MON-FRI *)', min: 2, max: 4 },
    { name: 'daily', cron: 'rate(1 day)', min: 1 },
  ],
}

/** Changes both policies and both scheduled actions and adds one of each kind of change. */
const CHANGE_ALL = {
  min: 2,
  max: 8,
  targets: { cpu: 60, memory: 80 },
  schedules: [
    { name: 'mornings', cron: 'cron(30 7 ? * MON-FRI *)', max: 8 },
    { name: 'daily', cron: 'rate(2 days)', min: 2 },
    { name: 'nights', cron: 'cron(0 22 * * ? *)', timezone: 'Europe/Paris', max: 2 },
  ],
}

/** Drops the memory policy and the `daily` action, changes the rest. */
const DROP_SOME = {
  min: 2,
  max: 8,
  targets: { cpu: 60 },
  schedules: [{ name: 'mornings', cron: 'cron(30 7 ? * MON-FRI *)', max: 8 }],
}

const unavailable = () => awsError('ServiceUnavailable', 503)

/** The service with the BEFORE setting, and the app that made it (the failing request is sent to it too). */
async function withSetting(): Promise<{ c: ScalingClients; app: FastifyInstance; before: Awaited<ReturnType<typeof scalingSnapshot>> }> {
  const c = scalingClients()
  await seedScalableService(c, 'space1', 'web')
  const app = await buildTestApp()
  const res = await putSetting(app, BEFORE)
  expect(res.statusCode, res.body).toBe(200)
  const before = await scalingSnapshot(c, RESOURCE)
  expect(Object.keys(before.policies).sort()).toEqual(['spinup-cpu', 'spinup-memory'])
  return { c, app, before }
}

describe('PUT autoscaling rolls back (injected failure)', () => {
  const cases: { step: string; operation: string; skip: number; body: unknown; rolledBack: string[] }[] = [
    { step: 'register-scalable-target', operation: 'RegisterScalableTarget', skip: 0, body: CHANGE_ALL, rolledBack: [] },
    // The second policy fails: the first one, already changed, is put back.
    { step: 'put-scaling-policies', operation: 'PutScalingPolicy', skip: 1, body: CHANGE_ALL, rolledBack: ['register-scalable-target'] },
    { step: 'put-scheduled-actions', operation: 'PutScheduledAction', skip: 2, body: CHANGE_ALL, rolledBack: ['register-scalable-target'] },
    { step: 'remove-scaling-policies', operation: 'DeleteScalingPolicy', skip: 0, body: DROP_SOME, rolledBack: ['register-scalable-target'] },
    { step: 'remove-scheduled-actions', operation: 'DeleteScheduledAction', skip: 0, body: DROP_SOME, rolledBack: ['register-scalable-target'] },
  ]

  for (const { step, operation, skip, body, rolledBack } of cases) {
    it(`at ${step} (${operation} fails): the previous setting is intact and the answer says so (injected failure)`, async () => {
      const { c, app, before } = await withSetting()
      failAwsCall(app, 'applicationAutoScaling', operation, unavailable(), { skip, times: 1 })

      const res = await putSetting(app, body)
      expect(res.statusCode, res.body).toBe(503)
      const problem = res.json()
      expect(problem).toMatchObject({ code: 'ServiceUnavailable', workflow: 'apply-autoscaling', failedStep: step, rollbackFailures: [] })
      expect(problem.rolledBack).toEqual(expect.arrayContaining(rolledBack))
      expect(await scalingSnapshot(c, RESOURCE)).toEqual(before)
    })
  }

  it('from no setting at all: nothing is left registered (injected failure)', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    failAwsCall(app, 'applicationAutoScaling', 'PutScheduledAction', unavailable(), { skip: 1, times: 1 })
    const res = await putSetting(app, CHANGE_ALL)
    expect(res.statusCode, res.body).toBe(503)
    expect(res.json().rolledBack).toEqual(expect.arrayContaining(['put-scheduled-actions', 'put-scaling-policies', 'register-scalable-target']))
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(NOTHING)
  })

  it('after every step succeeded, a failure reported by the last one undoes them all (injected failure)', async () => {
    const { c, app, before } = await withSetting()
    testWorkflowHooks.current = {
      onStepSuccess: (id) => {
        if (id === 'remove-scheduled-actions') throw new Error('injected after remove-scheduled-actions')
      },
    }
    const res = await putSetting(app, DROP_SOME)
    expect(res.statusCode, res.body).toBe(500)
    expect(res.json().rolledBack).toEqual(
      expect.arrayContaining(['remove-scheduled-actions', 'remove-scaling-policies', 'put-scheduled-actions', 'put-scaling-policies', 'register-scalable-target']),
    )
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(before)
  })

  it('hands a compensation that fails too to a tracked operation that finishes the rollback (injected failure)', async () => {
    const { c, app, before } = await withSetting()
    // The scheduled action's removal fails, and so does the first attempt to put the removed policy
    // back (the second PutScalingPolicy: the first one changed the cpu policy).
    failAwsCall(app, 'applicationAutoScaling', 'DeleteScheduledAction', unavailable(), { times: 1 })
    failAwsCall(app, 'applicationAutoScaling', 'PutScalingPolicy', unavailable(), { skip: 1, times: 1 })

    const res = await putSetting(app, DROP_SOME)
    expect(res.statusCode, res.body).toBe(503)
    const problem = res.json()
    expect(problem.failedStep).toBe('remove-scheduled-actions')
    expect(problem.rollbackFailures).toEqual([expect.objectContaining({ step: 'remove-scaling-policies' })])
    expect(problem.rollbackOperation?.location).toMatch(/^\/v1\/ecs\/main\/operations\//)

    const op = await finished(app, problem.rollbackOperation.location)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(before)
  })
})

describe('DELETE autoscaling rolls back (injected failure)', () => {
  // The second of two policies or actions fails: the first, already removed, is put back.
  for (const [step, operation, skip] of [
    ['remove-scaling-policies', 'DeleteScalingPolicy', 1],
    ['remove-scheduled-actions', 'DeleteScheduledAction', 1],
    ['deregister-scalable-target', 'DeregisterScalableTarget', 0],
  ] as const) {
    it(`at ${step} (${operation} fails): the setting is intact (injected failure)`, async () => {
      const { c, app, before } = await withSetting()
      failAwsCall(app, 'applicationAutoScaling', operation, unavailable(), { skip, times: 1 })
      const res = await app.inject({ method: 'DELETE', url: autoscalingUrl(), headers: authHeaders })
      expect(res.statusCode, res.body).toBe(503)
      expect(res.json()).toMatchObject({ workflow: 'remove-autoscaling', failedStep: step, rollbackFailures: [] })
      expect(await scalingSnapshot(c, RESOURCE)).toEqual(before)
    })
  }
})

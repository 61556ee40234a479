/**
 * A schedule create or replace that fails at each of its steps leaves AWS as it was; the delete of a
 * family, recursive or not, takes its schedules with it (and the group and role with the last).
 */
import { DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { deleteAndFollow, finished, stepEvents } from './delete-operation-helpers.js'
import {
  createSchedule,
  GROUP,
  motoSchedule,
  SCHEDULER_ROLE,
  scheduleBody,
  schedulerClients,
  schedulerState,
  schedulesUrl,
} from './schedules-fixtures.js'
import { createSpaceService } from './services-fixtures.js'
import { awsState, createBody, createTaskDef, motoClients, post, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()

const job2 = () => createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'job2' } })

interface Report {
  failedStep: string
  rolledBack: string[]
  rollbackFailures: unknown[]
}

type Client = Parameters<typeof failAwsCall>[1]

async function expectRolledBack(res: Awaited<ReturnType<typeof post>>, step: string): Promise<Report> {
  expect(res.statusCode, res.body).toBe(502)
  const report = res.json<Report>()
  expect(report.failedStep).toBe(step)
  expect(report.rollbackFailures).toEqual([])
  return report
}

describe('create rolls back (injected failure)', () => {
  const cases: [Client, string, string][] = [
    ['scheduler', 'CreateScheduleGroup', 'ensure-schedule-group'],
    ['iam', 'CreateRole', 'ensure-scheduler-role'],
    ['iam', 'PutRolePolicy', 'ensure-scheduler-role'],
    ['scheduler', 'CreateSchedule', 'create-schedule'],
  ]
  it.each(cases)('%s.%s fails: no group, role or schedule is left (injected failure)', async (client, operation, step) => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    failAwsCall(app, client, operation, awsError('InternalFailure', 500))
    const res = await post(app, schedulesUrl(), scheduleBody())
    await expectRolledBack(res, step)
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
  })

  it('with the group and role already there, a failed create keeps them and puts the policy back (injected failure)', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    await createTaskDef(app, job2())
    const before = await schedulerState(c)
    failAwsCall(app, 'scheduler', 'CreateSchedule', awsError('InternalFailure', 500))
    const report = await expectRolledBack(await post(app, schedulesUrl('job2'), scheduleBody({ name: 'hourly' })), 'create-schedule')
    // The policy was widened to job2 and then put back.
    expect(report.rolledBack).toEqual(['ensure-scheduler-role'])
    expect(await schedulerState(c)).toEqual(before)
  })
})

describe('what a rollback cannot undo is handed over (injected failure)', () => {
  it('CreateSchedule fails and so does the first DeleteRole: an operation deletes the role afterwards', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    failAwsCall(app, 'scheduler', 'CreateSchedule', awsError('InternalFailure', 500))
    failAwsCall(app, 'iam', 'DeleteRole', awsError('ServiceUnavailable', 503), { times: 1 })
    const res = await post(app, schedulesUrl(), scheduleBody())
    expect(res.statusCode, res.body).toBe(502)
    const problem = res.json<Report & { rollbackOperation: { location: string } }>()
    expect(problem.failedStep).toBe('create-schedule')
    expect(problem.rollbackFailures).toEqual([{ step: 'ensure-scheduler-role', error: expect.stringContaining('ServiceUnavailable') }])
    const op = await finished(app, problem.rollbackOperation.location)
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded')
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
  })
})

describe('replace rolls back (injected failure)', () => {
  it('UpdateSchedule fails: the schedule and the policy are as before', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    await createTaskDef(app, job2())
    const before = await schedulerState(c)
    const schedule = await motoSchedule(c, 'nightly-report')
    failAwsCall(app, 'scheduler', 'UpdateSchedule', awsError('InternalFailure', 500), { times: 1 })
    const res = await put(app, `${schedulesUrl()}/nightly-report`, { expression: 'rate(1 hour)', enabled: false })
    await expectRolledBack(res, 'update-schedule')
    expect(await schedulerState(c)).toEqual(before)
    expect((await motoSchedule(c, 'nightly-report'))?.Target).toEqual(schedule?.Target)
  })
})

describe('a family delete takes its schedules', () => {
  it('a delete removes the family\'s schedules only; the recursive delete of the last family removes group, role and cluster', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    const m = motoClients()
    await createTaskDef(app)
    await createTaskDef(app, job2())
    await createSchedule(app)
    await createSchedule(app, scheduleBody({ name: 'also-job', expression: 'rate(1 day)' }))
    await createSchedule(app, scheduleBody({ name: 'hourly', expression: 'rate(1 hour)' }), 'job2')

    const first = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?force=true`)
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded')
    expect(stepEvents(first)).toContain('deleted 2 schedule(s)')
    expect(await motoSchedule(c, 'nightly-report')).toBeUndefined()
    expect(await motoSchedule(c, 'hourly')).toBeDefined()
    expect((await schedulerState(c)).role).toBe(SCHEDULER_ROLE)

    const last = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job2?recursive=true&force=true`)
    expect(last.status, JSON.stringify(last.error)).toBe('succeeded')
    expect(stepEvents(last)).toContain('deleted 1 schedule(s) and the schedule group and the scheduler role')
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
    expect((await awsState(m, ['job', 'job2'])).clusters).toEqual([])
    expect(GROUP).toContain(SPACE)
  })

  it('the space clean-up of the last service\'s recursive delete takes the schedules left in the space, the group and the role', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    const m = motoClients()
    await createTaskDef(app)
    await createSchedule(app)
    await createSpaceService(app, 'web')
    // The family deregistered outside the API: nothing keeps the cluster, but its schedule is still there.
    await m.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'job:1' }))
    expect(await motoSchedule(c, 'nightly-report')).toBeDefined()

    const op = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/services/web?recursive=true`)
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded')
    expect(stepEvents(op)).toContain(`deleted cluster ${SPACE} and its task execution role`)
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
    expect((await awsState(m, [])).clusters).toEqual([])
  })
})

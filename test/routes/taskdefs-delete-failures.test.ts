/**
 * A task-definition delete (force, recursive) whose steps fail, one step per test: the operation
 * ends failed, its steps and events say what was removed and what remains, moto shows exactly that,
 * and a retry of the operation once the cause is gone finishes the job. The role's DeleteConflict
 * is moto's own answer; the other refusals moto never gives, so they are injected in the app's SDK
 * client for the one command (the tests say so).
 */
import { DescribeClustersCommand, ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs'
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, GetRoleCommand, RemoveRoleFromInstanceProfileCommand } from '@aws-sdk/client-iam'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { existsInAws } from '../harness/not-found.js'
import { awsError, injectAwsFault } from './aws-fault.js'
import { deleteAndFollow, retryAndFollow, stepEvents, stepStatuses, type OperationBody } from './delete-operation-helpers.js'
import { createSchedule, motoSchedule, schedulerClients, schedulerState } from './schedules-fixtures.js'
import { createTaskDef, motoClients, post, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
// Tasks stay RUNNING until stopped (moto otherwise moves them one status per DescribeTasks).
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

type Clients = ReturnType<typeof motoClients>
const SECRET = `spinup/${TEST_ORG}/${SPACE}/api-cred`
const ROLE = `${SPACE}-ecsTaskExecution`
const url = `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?force=true&recursive=true`

/** The family job (one revision with a credential secret) in its own space, with two running tasks. */
async function taskDefWithTasks(app: FastifyInstance): Promise<void> {
  await createTaskDef(app)
  const run = await post(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job/tasks`, { Count: 2 })
  expect(run.statusCode, run.body).toBe(200)
}

/** What the delete removes, as moto has it now. */
async function leftInMoto(c: Clients) {
  const [running, revisions, secrets, cluster, role] = await Promise.all([
    c.ecs.send(new ListTasksCommand({ cluster: SPACE, family: 'job', desiredStatus: 'RUNNING' })),
    c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'job', status: 'ACTIVE' })),
    c.secrets.send(new ListSecretsCommand({})),
    c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE] })),
    existsInAws(c.iam.send(new GetRoleCommand({ RoleName: ROLE }))),
  ])
  return {
    runningTasks: running.taskArns?.length ?? 0,
    activeRevisions: revisions.taskDefinitionArns?.length ?? 0,
    secrets: (secrets.SecretList ?? []).map((s) => s.Name),
    cluster: cluster.clusters?.[0]?.status,
    role,
  }
}

const EVERYTHING = { runningTasks: 2, activeRevisions: 1, secrets: [SECRET], cluster: 'ACTIVE', role: true }
const NOTHING = { runningTasks: 0, activeRevisions: 0, secrets: [], cluster: 'INACTIVE', role: false }

/** Retries `failed` (the cause is gone) and expects the job finished: every step succeeded, nothing left. */
async function retryFinishes(app: FastifyInstance, c: Clients, failed: OperationBody): Promise<OperationBody> {
  const done = await retryAndFollow(app, failed)
  expect(done.status, JSON.stringify(done)).toBe('succeeded')
  expect(done.steps.every((s) => s.status === 'succeeded')).toBe(true)
  expect(await leftInMoto(c)).toEqual(NOTHING)
  return done
}

describe('task definition delete: a step fails, a retry finishes the job', () => {
  it('delete-schedules fails: the schedule and everything else stay (Scheduler DeleteSchedule refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const s = schedulerClients()
    await taskDefWithTasks(app)
    await createSchedule(app)
    const heal = injectAwsFault(app, 'scheduler', 'DeleteSchedule', awsError('AccessDeniedException', 400, 'not allowed to delete schedules'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'delete-schedules', message: expect.stringContaining('not allowed to delete schedules') })
    expect(stepStatuses(op)).toEqual([
      ['delete-schedules', 'failed'],
      ['stop-tasks', 'pending'],
      ['wait-tasks-stopped', 'pending'],
      ['delete-revisions', 'pending'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op)).toEqual([])
    expect(await leftInMoto(c)).toEqual(EVERYTHING)
    expect(await motoSchedule(s, 'nightly-report')).toBeDefined()

    heal()
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)[0]).toBe('deleted 1 schedule(s) and the schedule group and the scheduler role')
    expect(await schedulerState(s)).toEqual({ groups: {}, role: null, policy: null })
    expect(done.steps.map((step) => step.attempts)).toEqual([2, 1, 1, 1, 1])
  })

  it('stop-tasks fails for one task: the other is stopped, the rest stays (StopTask refused once, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await taskDefWithTasks(app)
    expect(await leftInMoto(c)).toEqual(EVERYTHING)
    injectAwsFault(app, 'ecs', 'StopTask', awsError('AccessDeniedException', 400, 'not allowed to stop tasks'), { times: 1 })

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'stop-tasks', code: 'Forbidden', message: expect.stringMatching(/^could not stop the tasks arn:\S+: .*not allowed to stop tasks/) })
    expect(stepStatuses(op)).toEqual([
      ['delete-schedules', 'succeeded'],
      ['stop-tasks', 'failed'],
      ['wait-tasks-stopped', 'pending'],
      ['delete-revisions', 'pending'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op)).toEqual(['asked 1 task(s) to stop'])
    expect(await leftInMoto(c)).toEqual({ ...EVERYTHING, runningTasks: 1 })

    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)).toEqual([
      'asked 1 task(s) to stop',
      'asked 1 task(s) to stop',
      '1 task(s) stopped',
      'deregistered 1 revision(s), deleted 1 credential secret(s)',
      `deleted cluster ${SPACE} and its task execution role`,
    ])
  })

  it('wait-tasks-stopped fails: the tasks are stopped, the revision, secret, cluster and role stay (DescribeTasks refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await taskDefWithTasks(app)
    const heal = injectAwsFault(app, 'ecs', 'DescribeTasks', awsError('ThrottlingException', 400, 'Rate exceeded'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'wait-tasks-stopped', code: 'LimitExceeded', message: expect.stringContaining('Rate exceeded') })
    expect(stepStatuses(op)).toEqual([
      ['delete-schedules', 'succeeded'],
      ['stop-tasks', 'succeeded'],
      ['wait-tasks-stopped', 'failed'],
      ['delete-revisions', 'pending'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op)).toEqual(['asked 2 task(s) to stop'])
    expect(await leftInMoto(c)).toEqual({ ...EVERYTHING, runningTasks: 0 })

    heal()
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)).toContain('2 task(s) stopped')
  })

  it('delete-revisions fails: the tasks are stopped; the revision keeps its secret, cluster and role stay (DeregisterTaskDefinition refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await taskDefWithTasks(app)
    const heal = injectAwsFault(app, 'ecs', 'DeregisterTaskDefinition', awsError('AccessDeniedException', 400, 'not allowed to deregister'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'delete-revisions', code: 'Forbidden' })
    expect(op.error?.message).toMatch(/^could not deregister the revisions arn:\S+job:1; kept their credential secrets \S+api-cred\S*: .*not allowed to deregister/)
    expect(stepStatuses(op)).toEqual([
      ['delete-schedules', 'succeeded'],
      ['stop-tasks', 'succeeded'],
      ['wait-tasks-stopped', 'succeeded'],
      ['delete-revisions', 'failed'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op)).toEqual(['asked 2 task(s) to stop', '2 task(s) stopped', 'deregistered 0 revision(s), deleted 0 credential secret(s)'])
    expect(await leftInMoto(c)).toEqual({ ...EVERYTHING, runningTasks: 0 })

    heal()
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)).toContain('deregistered 1 revision(s), deleted 1 credential secret(s)')
  })

  it("clean-up-cluster fails on the role: the cluster is deleted, the role stays (moto's DeleteConflict: the role is in an instance profile)", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await taskDefWithTasks(app)
    await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'holds-the-role' }))
    await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holds-the-role', RoleName: ROLE }))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'clean-up-cluster', code: 'Conflict', message: expect.stringContaining(`could not delete the task execution role ${ROLE}: IAM.DeleteRole: DeleteConflict`) })
    expect(stepStatuses(op)).toEqual([
      ['delete-schedules', 'succeeded'],
      ['stop-tasks', 'succeeded'],
      ['wait-tasks-stopped', 'succeeded'],
      ['delete-revisions', 'succeeded'],
      ['clean-up-cluster', 'failed'],
    ])
    expect(stepEvents(op)).toEqual([
      'asked 2 task(s) to stop',
      '2 task(s) stopped',
      'deregistered 1 revision(s), deleted 1 credential secret(s)',
      `deleted cluster ${SPACE}; its task execution role remains`,
    ])
    expect(await leftInMoto(c)).toEqual({ ...NOTHING, role: true })

    // Another account cannot retry it; nothing changes.
    const foreign = await app.inject({ method: 'POST', url: `/v1/ecs/other/operations/${op.id}/retry`, headers: authHeaders })
    expect(foreign.statusCode).toBe(404)
    expect(await leftInMoto(c)).toEqual({ ...NOTHING, role: true })

    await c.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holds-the-role', RoleName: ROLE }))
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done).at(-1)).toBe(`cluster ${SPACE} was already deleted; deleted its task execution role`)
    expect(done.steps.map((s) => s.attempts)).toEqual([1, 1, 1, 1, 2])
  })
})

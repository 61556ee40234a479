import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { buildTestApp, testConfig } from '../harness/app.js'
import { captureAwsCalls } from './aws-fault.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { createBody, createTaskDef, del, expectProblem, get, motoClients, OTHER_ORG, post, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
// moto moves a task one status per DescribeTasks call; these tests need them to stay RUNNING.
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

const tasksUrl = (family = 'job', cluster = SPACE) => `/v1/ecs/main/clusters/${cluster}/taskdefs/${family}/tasks`

interface TasksBody {
  Tasks: { TaskArn: string; LastStatus: string; LaunchType?: string; Revision: number; StartedBy?: string; Attachments?: { Details?: { Name: string; Value: string }[] }[] }[]
  Failures: unknown[]
}

async function runOne(app: FastifyInstance, body: unknown = { Count: 1 }, url = tasksUrl()): Promise<TasksBody> {
  const res = await post(app, url, body)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<TasksBody>()
}
const taskId = (arn: string) => arn.split('/').at(-1) ?? ''

describe('POST .../taskdefs/{taskdef}/tasks', () => {
  it('runs the seed body: Fargate, in the account subnets, with the Revision of the task definition', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined }))
    const body = await runOne(app, seedFixture('task-run.json'))
    expect(body.Tasks).toHaveLength(1)
    expect(body.Tasks[0]).toMatchObject({ LaunchType: 'FARGATE', Revision: 2, StartedBy: 'camden' })
    expect(body.Failures).toEqual([])

    const subnets = app.accounts.get('main')?.config.defaultSubnets ?? []
    const details = body.Tasks[0]!.Attachments?.[0]?.Details ?? []
    expect(subnets).toContain(details.find((d) => d.Name === 'subnetId')?.Value)
    const listed = await c.ecs.send(new ListTasksCommand({ cluster: SPACE, family: 'job' }))
    expect(listed.taskArns).toEqual([body.Tasks[0]!.TaskArn])
  })

  it('runs a given revision, up to 10 at once', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined }))
    const body = await runOne(app, { count: 10 }, tasksUrl('job:1'))
    expect(body.Tasks.map((t) => t.Revision)).toEqual(Array(10).fill(1))
  })

  it('refuses Count 0 or 11, a public IP the account does not allow, and tags of another org; nothing runs', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    for (const [body, status, detail] of [
      [{ Count: 0 }, 400, /count must be 1 to 10/],
      [{ Count: 11 }, 400, /count must be 1 to 10/],
      [{ Count: '1' }, 400, /count/i],
      [
        { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } } },
        400,
        /assignPublicIp ENABLED is not allowed/,
      ],
      [{ Tags: [{ Key: 'spinup:org', Value: OTHER_ORG }] }, 403, /not a part of our org/],
      [null, 400, /body/],
    ] as const) {
      expectProblem(await post(app, tasksUrl(), body), status, status === 403 ? 'Forbidden' : 'BadRequest', detail)
    }
    expect((await c.ecs.send(new ListTasksCommand({ cluster: SPACE }))).taskArns).toEqual([])
  })

  it('asks ECS for FARGATE, the account network without a public IP, managed and propagated tags (RunTask input seen in the SDK client)', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    const calls = captureAwsCalls(app, 'ecs', 'RunTask')
    await runOne(app, { Count: 1, Tags: [{ Key: 'run', Value: 'nightly' }, { Key: 'spinup:org', Value: 'testorg' }] })
    const account = app.accounts.get('main')!.config
    expect(calls).toEqual([
      expect.objectContaining({
        cluster: `arn:aws:ecs:us-east-1:123456789012:cluster/${SPACE}`,
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/job:1',
        launchType: 'FARGATE',
        count: 1,
        enableECSManagedTags: true,
        propagateTags: 'TASK_DEFINITION',
        tags: [{ key: 'run', value: 'nightly' }],
        networkConfiguration: {
          awsvpcConfiguration: { subnets: account.defaultSubnets, securityGroups: account.defaultSgs, assignPublicIp: 'DISABLED' },
        },
      }),
    ])
    // A capacity provider strategy (even the cluster default, []) replaces the launch type.
    await runOne(app, { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] })
    expect(calls[1]).not.toHaveProperty('launchType')
  })

  it("refuses another space's role overrides, launch types but FARGATE, execute command and volumes (400 naming the field); nothing runs", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const ours = await createTaskDef(app)
    const theirs = await createTaskDef(app, createBody({ cluster: { clustername: 'space2' }, credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'job2' } }))
    const otherRole = theirs.TaskDefinition.ExecutionRoleArn as string
    expect(otherRole).not.toBe(ours.TaskDefinition.ExecutionRoleArn)
    for (const [body, path] of [
      [{ Overrides: { TaskRoleArn: otherRole } }, 'overrides.taskRoleArn'],
      [{ overrides: { executionRoleArn: otherRole } }, 'overrides.executionRoleArn'],
      [{ overrides: { executionRoleArn: 'arn:aws:iam::111111111111:role/space1-ecsTaskExecution' } }, 'overrides.executionRoleArn'],
      [{ overrides: { inferenceAcceleratorOverrides: [{ deviceName: 'x', deviceType: 'eia2.medium' }] } }, 'overrides.inferenceAcceleratorOverrides'],
      [{ overrides: { containerOverrides: [{ name: 'main', environmentFiles: [{ value: 'arn:aws:s3:::b/f.env', type: 's3' }] }] } }, 'overrides.containerOverrides[0].environmentFiles'],
      [{ overrides: { containerOverrides: [{ name: 'nope', command: ['true'] }] } }, 'overrides.containerOverrides[0].name'],
      [{ LaunchType: 'EC2' }, 'launchType'],
      [{ launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }, 'launchType'],
      [{ EnableExecuteCommand: true }, 'enableExecuteCommand'],
      [{ VolumeConfigurations: [{ name: 'v', managedEBSVolume: { roleArn: otherRole, sizeInGiB: 1 } }] }, 'volumeConfigurations'],
      [{ PlacementConstraints: [{ type: 'distinctInstance' }] }, 'placementConstraints'],
    ] as const) {
      const res = await post(app, tasksUrl(), body)
      expectProblem(res, 400, 'BadRequest', new RegExp(path.replace(/[[\].]/g, '\\$&')))
    }
    expect((await c.ecs.send(new ListTasksCommand({ cluster: SPACE }))).taskArns).toEqual([])
    expect((await c.ecs.send(new ListTasksCommand({ cluster: 'space2' }))).taskArns).toEqual([])
  })

  it('passes only the allowed fields to ECS: container overrides, its own roles, FARGATE (RunTask input seen in the SDK client)', async () => {
    const app = await buildTestApp()
    const ours = await createTaskDef(app)
    const role = ours.TaskDefinition.ExecutionRoleArn as string
    const calls = captureAwsCalls(app, 'ecs', 'RunTask')
    const body = await runOne(app, {
      Count: 1,
      Group: 'nightly',
      LaunchType: 'FARGATE',
      EnableExecuteCommand: false,
      Cluster: 'theirs',
      Overrides: {
        ExecutionRoleArn: role,
        ContainerOverrides: [{ Name: 'main', Command: ['echo', 'hi'], Environment: [{ Name: 'A', Value: '1' }], Memory: 256 }],
      },
    })
    expect(body.Tasks).toHaveLength(1)
    expect(calls).toHaveLength(1)
    const input = calls[0] as Record<string, unknown>
    expect(Object.keys(input).sort()).toEqual(
      ['cluster', 'count', 'enableECSManagedTags', 'group', 'launchType', 'networkConfiguration', 'overrides', 'propagateTags', 'tags', 'taskDefinition'],
    )
    expect(input).toMatchObject({
      cluster: `arn:aws:ecs:us-east-1:123456789012:cluster/${SPACE}`,
      launchType: 'FARGATE',
      overrides: {
        executionRoleArn: role,
        containerOverrides: [{ name: 'main', command: ['echo', 'hi'], environment: [{ name: 'A', value: '1' }], memory: 256 }],
      },
    })
  })

  it('gives tasks a public IP by default where the account allows it (RunTask input seen in the SDK client)', async () => {
    const base = await testConfig()
    const main = base.accounts.get('main')!
    const app = await buildTestApp({ accounts: { main: { ...main, allowPublicIp: true } } })
    await createTaskDef(app)
    const calls = captureAwsCalls(app, 'ecs', 'RunTask')
    await runOne(app, {})
    expect(calls[0]).toMatchObject({ networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } })
    await runOne(app, { networkConfiguration: { awsvpcConfiguration: { subnets: main.defaultSubnets, assignPublicIp: 'ENABLED' } } })
    expect(calls[1]).toMatchObject({ networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } } })
  })

  it('is a 404 for an unknown task definition or cluster, and a 400 for a malformed {taskdef}', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    expectProblem(await post(app, tasksUrl('nope'), {}), 404, 'NotFound')
    expectProblem(await post(app, tasksUrl('job', 'nope'), {}), 404, 'NotFound')
    expectProblem(await post(app, tasksUrl('job:x'), {}), 400, 'BadRequest', /is not a family/)
  })
})

describe('GET .../taskdefs/{taskdef}/tasks', () => {
  it('lists <cluster>/<taskId> per status (RUNNING by default), filtered by startedBy', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    const a = await runOne(app, { Count: 2, StartedBy: 'alice' })
    const b = await runOne(app, { Count: 1, StartedBy: 'bob' })
    const ids = (body: TasksBody) => body.Tasks.map((t) => `${SPACE}/${taskId(t.TaskArn)}`)
    const stopped = ids(a)[0]!
    expect((await del(app, `/v1/ecs/main/clusters/${SPACE}/tasks/${taskId(a.Tasks[0]!.TaskArn)}`)).statusCode).toBe(200)

    const list = async (query: string) => {
      const res = await get(app, `${tasksUrl()}${query}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json<string[]>()
    }
    expect((await list('')).sort()).toEqual([ids(a)[1], ...ids(b)].sort())
    expect(await list('?status=STOPPED')).toEqual([stopped])
    expect((await list('?status=RUNNING&status=STOPPED')).sort()).toEqual([...ids(a), ...ids(b)].sort())
    expect(await list('?startedBy=bob')).toEqual(ids(b))
    expect(await list('?status=running&startedBy=alice')).toEqual([ids(a)[1]])
    const singular = await get(app, `/v1/ecs/main/cluster/${SPACE}/taskdefs/job/tasks?status=STOPPED`)
    expect(singular.json()).toEqual([stopped])
  })

  it('is a 400 for an unknown status and a 404 for an unknown family or cluster', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    expectProblem(await get(app, `${tasksUrl()}?status=DONE`), 400, 'BadRequest', /status DONE/)
    expectProblem(await get(app, tasksUrl('nope')), 404, 'NotFound')
    expectProblem(await get(app, tasksUrl('job', 'nope')), 404, 'NotFound')
  })
})

describe('GET and DELETE .../tasks/{task}', () => {
  it('shows a task on both paths with its Revision; stops it with a reason on both paths', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const [one, two] = (await runOne(app, { Count: 2 })).Tasks
    for (const url of [`/v1/ecs/main/clusters/${SPACE}/tasks/${taskId(one!.TaskArn)}`, `${tasksUrl()}/${taskId(one!.TaskArn)}`]) {
      const res = await get(app, url)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json<TasksBody>().Tasks).toMatchObject([{ TaskArn: one!.TaskArn, Revision: 1 }])
    }
    const byArn = await get(app, `/v1/ecs/main/cluster/${SPACE}/tasks/${encodeURIComponent(two!.TaskArn)}`)
    expect(byArn.statusCode).toBe(200)

    const stop1 = await del(app, `/v1/ecs/main/clusters/${SPACE}/tasks/${taskId(one!.TaskArn)}?reason=done`)
    expect(stop1.statusCode).toBe(200)
    expect(stop1.body).toBe('OK')
    const stop2 = await del(app, `${tasksUrl()}/${taskId(two!.TaskArn)}`)
    expect(stop2.statusCode).toBe(200)
    const described = await c.ecs.send(new DescribeTasksCommand({ cluster: SPACE, tasks: [one!.TaskArn, two!.TaskArn] }))
    expect(described.tasks?.map((t) => t.desiredStatus)).toEqual(['STOPPED', 'STOPPED'])
    expect(described.tasks?.[0]?.stoppedReason).toBe('done')
  })

  it('is a 404 for an unknown task, a task of another family under {taskdef}, and a 400 for a malformed id', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'other' } }))
    const [task] = (await runOne(app, {}, tasksUrl('other'))).Tasks
    const id = taskId(task!.TaskArn)
    for (const url of [
      `/v1/ecs/main/clusters/${SPACE}/tasks/0123456789abcdef0123456789abcdef`,
      `${tasksUrl()}/${id}`,
      `/v1/ecs/main/clusters/missing/tasks/${id}`,
    ]) {
      expectProblem(await get(app, url), 404, 'NotFound')
      expectProblem(await del(app, url), 404, 'NotFound')
    }
    expectProblem(await get(app, `/v1/ecs/main/clusters/${SPACE}/tasks/not_a_task!`), 400, 'BadRequest', /not a task id/)
    expect((await get(app, `${tasksUrl('other')}/${id}`)).statusCode).toBe(200)
  })
})

describe('tasks of another org', () => {
  it('are a 404 on every task route, and keep running', async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    const c = motoClients()
    await createTaskDef(foreign, createBody({ cluster: { clusterName: 'theirs' } }))
    const [theirs] = (await runOne(foreign, {}, tasksUrl('job', 'theirs'))).Tasks
    // Our own space, where their task id is looked up too.
    await createTaskDef(app, createBody({ taskdefinition: { ...(createBody().taskdefinition as object), family: 'ours' } }))
    const id = taskId(theirs!.TaskArn)

    expectProblem(await post(app, tasksUrl('job', 'theirs'), {}), 404, 'NotFound')
    expectProblem(await post(app, tasksUrl('job'), {}), 404, 'NotFound')
    expectProblem(await get(app, tasksUrl('job', 'theirs')), 404, 'NotFound')
    for (const url of [
      `/v1/ecs/main/clusters/theirs/tasks/${id}`,
      `/v1/ecs/main/clusters/theirs/taskdefs/job/tasks/${id}`,
      `/v1/ecs/main/clusters/${SPACE}/tasks/${id}`,
      `/v1/ecs/main/clusters/${SPACE}/tasks/${encodeURIComponent(theirs!.TaskArn)}`,
    ]) {
      expectProblem(await get(app, url), 404, 'NotFound')
      expectProblem(await del(app, url), 404, 'NotFound')
    }
    const described = await c.ecs.send(new DescribeTasksCommand({ cluster: 'theirs', tasks: [theirs!.TaskArn] }))
    expect(described.tasks?.[0]?.desiredStatus).toBe('RUNNING')
  })
})

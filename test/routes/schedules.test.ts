/**
 * The schedule routes against moto's EventBridge Scheduler and IAM: what a create puts in AWS (the
 * schedule's target, the space's group, the cluster's scheduler role), and list, show, replace and
 * delete.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { defaultVpcResources, motoEndpoint, MOTO_REGION, useMotoReset } from '../harness/index.js'
import {
  createSchedule,
  GROUP,
  motoSchedule,
  POLICY_NAME,
  SCHEDULER_ROLE,
  scheduleBody,
  schedulerClients,
  schedulerState,
  schedulesUrl,
  type ScheduleAnswer,
} from './schedules-fixtures.js'
import { createBody, createTaskDef, del, get, post, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()

const ACCOUNT_ID = '123456789012'
const CLUSTER_ARN = `arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:cluster/${SPACE}`
const revisionArn = (family: string, revision: number) => `arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:task-definition/${family}:${revision}`
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${SCHEDULER_ROLE}`

describe('POST .../taskdefs/{taskdef}/schedules', () => {
  it("schedules the latest ACTIVE revision on the cluster: Fargate, the account's network, the scheduler role (read back from moto)", async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined }))
    // Keys in any case, as every body.
    const res = await createSchedule(app, {
      NAME: 'nightly-report',
      Expression: 'cron(0 3 * * ? *)',
      timeZone: 'Europe/Paris',
      Count: 2,
      Overrides: { ContainerOverrides: [{ Name: 'main', Command: ['echo', 'report'] }] },
      description: 'the report of the day before',
    })
    const account = app.accounts.get('main')!.config
    expect(res).toMatchObject({
      Name: 'nightly-report',
      Expression: 'cron(0 3 * * ? *)',
      Timezone: 'Europe/Paris',
      State: 'ENABLED',
      Description: 'the report of the day before',
      Cluster: CLUSTER_ARN,
      TaskDefinition: revisionArn('job', 2),
      Revision: 2,
      Count: 2,
      LaunchType: 'FARGATE',
      NetworkConfiguration: { Subnets: account.defaultSubnets, SecurityGroups: account.defaultSgs, AssignPublicIp: 'DISABLED' },
      Overrides: { ContainerOverrides: [{ Name: 'main', Command: ['echo', 'report'] }] },
      RoleArn: ROLE_ARN,
    })
    expect(res.NextRuns).toHaveLength(5)
    for (const run of res.NextRuns) expect(new Date(run).getTime()).toBeGreaterThan(Date.now() - 1000)

    const schedule = await motoSchedule(c, 'nightly-report')
    expect(schedule).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: CLUSTER_ARN,
        RoleArn: ROLE_ARN,
        EcsParameters: {
          TaskDefinitionArn: revisionArn('job', 2),
          TaskCount: 2,
          LaunchType: 'FARGATE',
          NetworkConfiguration: {
            awsvpcConfiguration: { Subnets: account.defaultSubnets, SecurityGroups: account.defaultSgs, AssignPublicIp: 'DISABLED' },
          },
          EnableECSManagedTags: true,
          PropagateTags: 'TASK_DEFINITION',
        },
      },
    })
    expect(JSON.parse(schedule?.Target?.Input ?? '')).toEqual({ containerOverrides: [{ name: 'main', command: ['echo', 'report'] }] })
  })

  it('makes the space group (org and space tags) and a role only the scheduler may assume, allowed RunTask of the space\'s families and PassRole of its task role', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    const state = await schedulerState(c)
    expect(state.groups).toEqual({
      [GROUP]: {
        tags: [
          { Key: 'spinup:org', Value: 'testorg' },
          { Key: 'spinup:spaceid', Value: SPACE },
        ],
        schedules: [{ name: 'nightly-report', expression: 'cron(0 3 * * ? *)', state: 'ENABLED', target: revisionArn('job', 1) }],
      },
    })
    const role = (await c.iam.send(new GetRoleCommand({ RoleName: SCHEDULER_ROLE }))).Role
    expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: ['scheduler.amazonaws.com'] },
          Action: ['sts:AssumeRole'],
          Condition: { StringEquals: { 'aws:SourceAccount': [ACCOUNT_ID] } },
        },
      ],
    })
    expect(role?.Tags).toEqual(expect.arrayContaining([{ Key: 'spinup:org', Value: 'testorg' }, { Key: 'spinup:spaceid', Value: SPACE }]))
    const statements = (state.policy as { Statement: { Action: string[]; Resource: string[]; Condition?: unknown }[] }).Statement
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: [`arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:task-definition/job:*`],
        Condition: { ArnEquals: { 'ecs:cluster': [CLUSTER_ARN] } },
      },
      {
        Effect: 'Allow',
        Action: ['ecs:TagResource'],
        Resource: [`arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:task/*`],
        Condition: { StringEquals: { 'ecs:CreateAction': ['RunTask'] } },
      },
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT_ID}:role/${SPACE}-ecsTaskExecution`],
        Condition: { StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] } },
      },
    ])
    expect(POLICY_NAME).toBe('ECSScheduledTaskPolicy')
  })

  it('a second family reuses the group and role, and the policy grows to both families', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'job2' } }))
    await createSchedule(app)
    await createSchedule(app, scheduleBody({ name: 'hourly', expression: 'rate(1 hour)' }), 'job2')
    const state = await schedulerState(c)
    const group = (state.groups as Record<string, { schedules: { name: string }[] }>)[GROUP]
    expect(group?.schedules.map((s) => s.name).sort()).toEqual(['hourly', 'nightly-report'])
    const runTask = (state.policy as { Statement: { Resource: string[] }[] }).Statement[0]
    expect(runTask?.Resource).toEqual([
      `arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:task-definition/job:*`,
      `arn:aws:ecs:${MOTO_REGION}:${ACCOUNT_ID}:task-definition/job2:*`,
    ])
  })

  it('runs a given revision (body or path) and assigns a public IP where the account allows it', async () => {
    const vpc = await defaultVpcResources(motoEndpoint(), MOTO_REGION)
    const app = await buildTestApp({
      accounts: {
        main: {
          region: MOTO_REGION,
          endpoint: motoEndpoint(),
          defaultSubnets: vpc.subnets.slice(0, 1),
          defaultSgs: vpc.securityGroups.slice(0, 1),
          allowPublicIp: true,
          akid: 'testing',
          secret: 'testing',
        },
      },
    })
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined }))
    const byBody = await createSchedule(app, scheduleBody({ name: 'by-body', revision: 1 }))
    expect(byBody).toMatchObject({ TaskDefinition: revisionArn('job', 1), Revision: 1 })
    expect(byBody.NetworkConfiguration).toEqual({ Subnets: vpc.subnets.slice(0, 1), SecurityGroups: vpc.securityGroups.slice(0, 1), AssignPublicIp: 'ENABLED' })
    const byPath = await createSchedule(app, scheduleBody({ name: 'by-path' }), 'job:1')
    expect(byPath.Revision).toBe(1)
  })

  it('two creates at once in a new space take turns: both schedules, one group, one role', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    const [a, b] = await Promise.all([
      post(app, schedulesUrl(), scheduleBody({ name: 'first' })),
      post(app, schedulesUrl(), scheduleBody({ name: 'second', expression: 'rate(30 minutes)' })),
    ])
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([201, 201])
    const state = await schedulerState(c)
    const groups = state.groups as Record<string, { schedules: { name: string }[] }>
    expect(Object.keys(groups)).toEqual([GROUP])
    expect(groups[GROUP]?.schedules.map((s) => s.name).sort()).toEqual(['first', 'second'])
    expect(state.role).toBe(SCHEDULER_ROLE)
  })

  it('refuses a name already in use in the space (409), and changes nothing', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    const before = await schedulerState(c)
    const res = await post(app, schedulesUrl(), scheduleBody({ expression: 'rate(5 minutes)' }))
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json<{ detail: string }>().detail).toMatch(/nightly-report already exists/)
    expect(await schedulerState(c)).toEqual(before)
  })
})

describe('GET, PUT and DELETE of schedules', () => {
  it('lists the family\'s schedules by name with their next runs, and shows one', async () => {
    const app = await buildTestApp()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'job2' } }))
    await createSchedule(app, scheduleBody({ name: 'b-every-15', expression: 'rate(15 minutes)', timezone: undefined }))
    await createSchedule(app, scheduleBody({ name: 'a-new-year', expression: 'at(2099-01-01T00:00:00)', timezone: 'Europe/Paris' }))
    await createSchedule(app, scheduleBody({ name: 'other-family' }), 'job2')

    const list = await get(app, schedulesUrl())
    expect(list.statusCode, list.body).toBe(200)
    const items = list.json<ScheduleAnswer[]>()
    expect(items.map((s) => s.Name)).toEqual(['a-new-year', 'b-every-15'])
    expect(items[0]).toMatchObject({ Expression: 'at(2099-01-01T00:00:00)', Timezone: 'Europe/Paris', NextRuns: ['2098-12-31T23:00:00.000Z'] })
    const rate = items[1]!
    expect(rate).toMatchObject({ Timezone: 'UTC', State: 'ENABLED' })
    const gaps = rate.NextRuns.slice(1).map((t, i) => new Date(t).getTime() - new Date(rate.NextRuns[i]!).getTime())
    expect(gaps).toEqual([900_000, 900_000, 900_000, 900_000])

    const one = await get(app, `${schedulesUrl()}/b-every-15`)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json<ScheduleAnswer>()).toMatchObject({ Name: 'b-every-15', Revision: 1 })
    // A schedule of another family is not one of this family's.
    expect((await get(app, `${schedulesUrl()}/other-family`)).statusCode).toBe(404)
    expect((await get(app, `${schedulesUrl()}/missing`)).statusCode).toBe(404)
  })

  it('PUT replaces the definition: expression, zone, disabled (no next runs), and the latest revision', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    await createTaskDef(app, createBody({ credentials: undefined }))
    const res = await put(app, `${schedulesUrl()}/nightly-report`, { Expression: 'cron(30 6 ? * MON-FRI *)', Timezone: 'America/New_York', Enabled: false })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<ScheduleAnswer>()).toMatchObject({
      Name: 'nightly-report',
      Expression: 'cron(30 6 ? * MON-FRI *)',
      Timezone: 'America/New_York',
      State: 'DISABLED',
      Revision: 2,
      NextRuns: [],
    })
    expect(await motoSchedule(c, 'nightly-report')).toMatchObject({
      State: 'DISABLED',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: { RoleArn: ROLE_ARN, EcsParameters: { TaskDefinitionArn: revisionArn('job', 2) } },
    })
    const renamed = await put(app, `${schedulesUrl()}/nightly-report`, { name: 'other', expression: 'rate(1 day)' })
    expect(renamed.statusCode).toBe(400)
    expect(renamed.json<{ field: string }>().field).toBe('name')
    expect((await put(app, `${schedulesUrl()}/missing`, { expression: 'rate(1 day)' })).statusCode).toBe(404)
  })

  it('DELETE removes the schedule; the group and role stay while another schedule uses them, and go with the last', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    await createSchedule(app, scheduleBody({ name: 'second', expression: 'rate(2 hours)' }))
    const first = await del(app, `${schedulesUrl()}/nightly-report`)
    expect(first.statusCode, first.body).toBe(204)
    expect(await motoSchedule(c, 'nightly-report')).toBeUndefined()
    expect((await schedulerState(c)).role).toBe(SCHEDULER_ROLE)
    expect((await del(app, `${schedulesUrl()}/nightly-report`)).statusCode).toBe(404)

    expect((await del(app, `${schedulesUrl()}/second`)).statusCode).toBe(204)
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
    // The space's task execution role is not the scheduler's: it stays.
    expect((await c.iam.send(new GetRoleCommand({ RoleName: `${SPACE}-ecsTaskExecution` }))).Role).toBeDefined()
  })
})

describe('OpenAPI', () => {
  it('documents the schedule routes with an example body', async () => {
    const app = await buildTestApp()
    const spec = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>
    }>()
    const list = '/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}/schedules'
    expect(Object.keys(spec.paths[list] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(spec.paths[`${list}/{name}`] ?? {}).sort()).toEqual(['delete', 'get', 'put'])
    const example = spec.paths[list]?.post?.requestBody?.content['application/json']?.example
    expect(example).toMatchObject({ name: 'nightly-report', expression: 'cron(0 3 * * ? *)' })
  })
})

/**
 * Schedules stay inside the org and the space: a group of our name that another org owns is
 * invisible and untouched, a task definition or cluster of another org or space is a 404, and bad
 * input is a 400 naming the field; in every case nothing is changed in AWS.
 */
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { CreateScheduleCommand, CreateScheduleGroupCommand } from '@aws-sdk/client-scheduler'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { MOTO_REGION, useMotoReset } from '../harness/index.js'
import { GROUP, scheduleBody, schedulerClients, schedulerState, schedulesUrl } from './schedules-fixtures.js'
import { createBody, createTaskDef, del, expectProblem, get, motoClients, OTHER_ORG, post, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()

const CLUSTER_ARN = `arn:aws:ecs:${MOTO_REGION}:123456789012:cluster/${SPACE}`

describe('org isolation', () => {
  it("a schedule group of our space's name owned by another org is invisible and untouchable", async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await c.scheduler.send(
      new CreateScheduleGroupCommand({ Name: GROUP, Tags: [{ Key: 'spinup:org', Value: OTHER_ORG }, { Key: 'spinup:spaceid', Value: SPACE }] }),
    )
    await c.scheduler.send(
      new CreateScheduleCommand({
        Name: 'theirs',
        GroupName: GROUP,
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: CLUSTER_ARN,
          RoleArn: 'arn:aws:iam::123456789012:role/theirs',
          EcsParameters: { TaskDefinitionArn: `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/job:1` },
        },
      }),
    )
    const before = await schedulerState(c)

    const list = await get(app, schedulesUrl())
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json()).toEqual([])
    expectProblem(await get(app, `${schedulesUrl()}/theirs`), 404, 'NotFound')
    expectProblem(await put(app, `${schedulesUrl()}/theirs`, { expression: 'rate(2 hours)' }), 404, 'NotFound')
    expectProblem(await del(app, `${schedulesUrl()}/theirs`), 404, 'NotFound')
    expectProblem(await post(app, schedulesUrl(), scheduleBody()), 404, 'NotFound', /schedule group .* not found in org testorg/)
    expect(await schedulerState(c)).toEqual(before)
  })

  it('a task definition or cluster of another org, or of another space, is a 404 and nothing is made', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    const m = motoClients()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ cluster: { clustername: 'space2' }, credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'elsewhere' } }))
    await m.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'foreign',
        containerDefinitions: [{ name: 'main', image: 'busybox', memory: 128 }],
        tags: [{ key: 'spinup:org', value: OTHER_ORG }, { key: 'spinup:spaceid', value: SPACE }],
      }),
    )
    await m.ecs.send(new CreateClusterCommand({ clusterName: 'theirs', tags: [{ key: 'spinup:org', value: OTHER_ORG }] }))

    for (const url of [schedulesUrl('foreign'), schedulesUrl('elsewhere'), schedulesUrl('job', 'theirs'), schedulesUrl('job', 'nowhere'), schedulesUrl('job', SPACE, 'other')]) {
      expectProblem(await post(app, url, scheduleBody()), 404, 'NotFound')
      expectProblem(await get(app, url), 404, 'NotFound')
    }
    expectProblem(await post(app, schedulesUrl(), scheduleBody({ revision: 9 })), 404, 'NotFound')
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
  })
})

describe('bad input', () => {
  it('each is a 400 naming the field (and the position of an expression error); nothing is made', async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    const cases: [Record<string, unknown> | null, string, RegExp][] = [
      [scheduleBody({ expression: 'cron(0 3 * * * *)' }), 'expression', /exactly one of day-of-month and day-of-week at position 10/],
      [scheduleBody({ expression: 'cron(0 25 * * ? *)' }), 'expression', /hours field "25".* at position 8/],
      [scheduleBody({ expression: 'rate(0 minutes)' }), 'expression', /positive whole number at position 6/],
      [scheduleBody({ expression: 'at(2027-13-01T00:00:00)' }), 'expression', /month 13 .* at position 9/],
      [scheduleBody({ expression: 'cron(0 3 * * ? 2001)' }), 'expression', /no run time after/],
      [scheduleBody({ expression: undefined }), 'expression', /expression is required/],
      [scheduleBody({ timezone: 'Mars/Olympus' }), 'timezone', /not a known IANA time zone/],
      [scheduleBody({ name: 'with space' }), 'name', /1 to 64 letters/],
      [scheduleBody({ name: 'x'.repeat(65) }), 'name', /1 to 64 letters/],
      [scheduleBody({ name: undefined }), 'name', /name is required/],
      [scheduleBody({ count: 0 }), 'count', /1 to 10/],
      [scheduleBody({ count: 11 }), 'count', /1 to 10/],
      [scheduleBody({ Count: 1.5 }), 'count', /1 to 10/],
      [scheduleBody({ revision: 0 }), 'revision', /positive whole number/],
      [scheduleBody({ description: 'x'.repeat(513) }), 'description', /512/],
      [scheduleBody({ placement: 'spread' }), 'placement', /not a field of a schedule/],
      [scheduleBody({ overrides: { inferenceAcceleratorOverrides: [] } }), 'overrides.inferenceAcceleratorOverrides', /not supported/],
      [scheduleBody({ overrides: { containerOverrides: [{ name: 'main', resourceRequirements: [] }] } }), 'overrides.containerOverrides[0].resourceRequirements', /not supported/],
      [scheduleBody({ overrides: { containerOverrides: [{ name: 'ghost' }] } }), 'overrides.containerOverrides[0].name', /not a container/],
      [scheduleBody({ overrides: { taskRoleArn: 'arn:aws:iam::123456789012:role/admin' } }), 'overrides.taskRoleArn', /own role/],
      [null, 'body', /body must be object/],
    ]
    for (const [body, field, detail] of cases) {
      const res = await post(app, schedulesUrl(), body)
      expectProblem(res, 400, 'BadRequest', detail)
      const problem = res.json<{ field?: string; detail: string }>()
      // Fastify's own check of the body's type names it in the detail.
      if (body === null) expect(problem.detail).toContain(field)
      else expect(problem.field, `${JSON.stringify(body)}`).toBe(field)
    }
    // A revision in the body that differs from the path's.
    expectProblem(await post(app, schedulesUrl('job:1'), scheduleBody({ revision: 2 })), 400, 'BadRequest', /differs from the path's revision/)
    expect(await schedulerState(c)).toEqual({ groups: {}, role: null, policy: null })
  })
})

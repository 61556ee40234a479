/**
 * `{taskdef}` path segments that are task definition ARNs of another AWS account or region: ECS (and
 * moto) may resolve such an ARN by its family and revision alone, to this account's task definition.
 * Every route that takes a `{taskdef}` answers 404 for them and changes nothing; the account's own
 * ARN keeps working.
 */
import { DescribeTasksCommand, ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs'
import { beforeEach, describe, expect, it } from 'vitest'
import { ASSUMED_ACCOUNT_ID, buildTestApp } from '../harness/app.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { createSchedule, scheduleBody, schedulerClients, schedulerState } from './schedules-fixtures.js'
import { createTaskDef, del, expectProblem, get, motoClients, post, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

const OWN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/job:1'
const FOREIGN = [
  `arn:aws:ecs:us-east-1:${ASSUMED_ACCOUNT_ID}:task-definition/job:1`,
  'arn:aws:ecs:us-west-2:123456789012:task-definition/job:1',
  'arn:aws-cn:ecs:us-east-1:123456789012:task-definition/job:1',
]
const base = (taskdef: string) => `/v1/ecs/main/clusters/${SPACE}/taskdefs/${encodeURIComponent(taskdef)}`

describe('{taskdef} ARN of another account or region', () => {
  it('is a 404 on show, update, delete, run and list, and nothing changes in moto', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const before = (await c.ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns
    for (const arn of FOREIGN) {
      for (const res of [
        await get(app, base(arn)),
        await put(app, base(arn), { tags: [{ Key: 'Application', Value: 'changed' }] }),
        await del(app, `${base(arn)}?force=true`),
        await post(app, `${base(arn)}/tasks`, { Count: 1 }),
        await get(app, `${base(arn)}/tasks`),
      ]) {
        expectProblem(res, 404, 'NotFound', /task definition .*job:1 not found/)
      }
    }
    expect((await c.ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns).toEqual(before)
    expect((await c.ecs.send(new ListTasksCommand({ cluster: SPACE }))).taskArns).toEqual([])
    const shown = await get(app, base(OWN))
    expect(shown.statusCode, shown.body).toBe(200)
    expect(shown.json().TaskDefinition.TaskDefinitionArn).toBe(OWN)
  })

  it("is a 404 when showing or stopping a task under it; the task keeps running", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const run = await post(app, `${base('job')}/tasks`, { Count: 1 })
    expect(run.statusCode, run.body).toBe(200)
    const taskArn = run.json<{ Tasks: { TaskArn: string }[] }>().Tasks[0]!.TaskArn
    const task = taskArn.split('/').at(-1)!
    for (const arn of FOREIGN) {
      expectProblem(await get(app, `${base(arn)}/tasks/${task}`), 404, 'NotFound', new RegExp(`task ${task} not found`))
      expectProblem(await del(app, `${base(arn)}/tasks/${task}`), 404, 'NotFound', new RegExp(`task ${task} not found`))
    }
    const described = await c.ecs.send(new DescribeTasksCommand({ cluster: SPACE, tasks: [taskArn] }))
    expect(described.tasks?.[0]?.desiredStatus).toBe('RUNNING')
    const shown = await get(app, `${base(OWN)}/tasks/${task}`)
    expect(shown.statusCode, shown.body).toBe(200)
  })

  it("is a 404 on the schedule routes, a body's revision included; the family's schedule stays as it was", async () => {
    const app = await buildTestApp()
    const c = schedulerClients()
    await createTaskDef(app)
    await createSchedule(app)
    const before = await schedulerState(c)
    for (const arn of FOREIGN) {
      const schedules = `${base(arn)}/schedules`
      for (const res of [
        await post(app, schedules, scheduleBody({ name: 'foreign' })),
        // The body's revision is the ARN's own: it must not turn the ARN into this account's job:1.
        await post(app, schedules, scheduleBody({ name: 'foreign', revision: 1 })),
        await get(app, schedules),
        await get(app, `${schedules}/nightly-report`),
        await put(app, `${schedules}/nightly-report`, { expression: 'rate(2 hours)' }),
        await put(app, `${schedules}/nightly-report`, { expression: 'rate(2 hours)', revision: 1 }),
        await del(app, `${schedules}/nightly-report`),
      ]) {
        expectProblem(res, 404, 'NotFound', /task definition .*job:1 not found/)
      }
    }
    expect(await schedulerState(c)).toEqual(before)
    const own = await get(app, `${base(OWN)}/schedules`)
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json()).toHaveLength(1)
  })
})

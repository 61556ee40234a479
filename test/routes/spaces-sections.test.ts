/**
 * The space summary's optional sections against moto: `Autoscaling` on each service that has a
 * scalable target (range and targets), `Schedules` on each task-definition family that has schedules
 * in the space's group. Another org's targets and groups never appear; credentials that may not read
 * autoscaling leave the section out.
 */
import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling'
import { CreateScheduleCommand, CreateScheduleGroupCommand } from '@aws-sdk/client-scheduler'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { documentValidator, operations, servedDocument, type Json } from '../http/openapi/document.js'
import { MOTO_REGION, useMotoReset } from '../harness/index.js'
import { autoscalingUrl, DIMENSION, putSetting, scalingClients, seedScalableService, type ScalingClients } from './autoscaling-fixtures.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { createSchedule, GROUP, schedulerClients } from './schedules-fixtures.js'
import { createTaskDef, OTHER_ORG, SPACE } from './taskdefs-fixtures.js'

useMotoReset()

interface Entry {
  [key: string]: unknown
}

async function summary(app: FastifyInstance): Promise<{ Services: Entry[]; TaskDefinitionFamilies: Entry[]; [key: string]: unknown }> {
  const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/spaces/${SPACE}`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const named = (entries: Entry[], key: string, name: string) => entries.find((e) => e[key] === name)

/** The space: family `job` (made through the API), services `web` and `worker` (of families of their own). */
async function seedSpace(app: FastifyInstance): Promise<ScalingClients> {
  await createTaskDef(app)
  const c = scalingClients()
  await seedScalableService(c, SPACE, 'web')
  await seedScalableService(c, SPACE, 'worker')
  return c
}

async function registerTarget(c: ScalingClients, cluster: string, service: string): Promise<void> {
  await c.aas.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: 'ecs',
      ResourceId: `service/${cluster}/${service}`,
      ScalableDimension: DIMENSION,
      MinCapacity: 7,
      MaxCapacity: 9,
    }),
  )
}

describe('GET /v1/ecs/{account}/spaces/{space}: autoscaling and schedules', () => {
  it("shows the autoscaled service's range and targets and the family's schedules", async () => {
    const app = await buildTestApp()
    await seedSpace(app)
    const put = await putSetting(app, { min: 1, max: 4, targets: { cpu: 60, memory: 70 } }, autoscalingUrl('web', SPACE))
    expect(put.statusCode, put.body).toBe(200)
    await createSchedule(app)

    const body = await summary(app)
    expect(named(body.Services, 'ServiceName', 'web')?.Autoscaling).toEqual({ Min: 1, Max: 4, Targets: { Cpu: 60, Memory: 70 } })
    expect(named(body.Services, 'ServiceName', 'worker')).not.toHaveProperty('Autoscaling')
    const job = named(body.TaskDefinitionFamilies, 'Family', 'job')
    expect(job?.Schedules).toEqual([
      { Name: 'nightly-report', Expression: 'cron(0 3 * * ? *)', Timezone: 'Europe/Paris', State: 'ENABLED', NextRuns: expect.any(Array) },
    ])
    const [schedule] = job?.Schedules as [{ NextRuns: string[] }]
    expect(schedule.NextRuns).toHaveLength(5)
    // 03:00 in Paris is 01:00 or 02:00 UTC, whatever the season.
    for (const run of schedule.NextRuns) expect(run).toMatch(/T0[12]:00:00\.000Z$/)
    expect(named(body.TaskDefinitionFamilies, 'Family', 'web-family')).not.toHaveProperty('Schedules')
    expect(body).not.toHaveProperty('IncompleteSections')

    // The answer is what the served document says of the route, sections included.
    const doc = await servedDocument(app)
    const route = operations(doc).find((o) => o.method === 'get' && o.path === '/v1/ecs/{account}/spaces/{space}')!
    const schema = ((route.op.responses as Record<string, Json>)['200']!.content as Record<string, { schema: Json }>)['application/json']!.schema
    expect(documentValidator(doc)(schema, body)).toBeUndefined()
    expect(JSON.stringify(schema)).toContain('NextRuns')
  })

  it('shows neither section for a space without autoscaling or schedules', async () => {
    const app = await buildTestApp()
    await seedSpace(app)
    const body = await summary(app)
    expect(body.Services).toHaveLength(2)
    for (const s of body.Services) expect(s).not.toHaveProperty('Autoscaling')
    for (const f of body.TaskDefinitionFamilies) expect(f).not.toHaveProperty('Schedules')
    expect(body).not.toHaveProperty('IncompleteSections')
  })

  it("never shows another org's scalable target or schedule group", async () => {
    const app = await buildTestApp()
    const c = await seedSpace(app)
    // Another org's service in our space and another org's space with a service of our service's name.
    await seedScalableService(c, SPACE, 'stowaway', { org: OTHER_ORG })
    await seedScalableService(c, 'foreign', 'web', { org: OTHER_ORG })
    await registerTarget(c, SPACE, 'stowaway')
    await registerTarget(c, 'foreign', 'web')
    // A group of our space's name that another org owns, with a schedule of our family.
    const { scheduler } = schedulerClients()
    const tags = [
      { Key: 'spinup:org', Value: OTHER_ORG },
      { Key: 'spinup:spaceid', Value: SPACE },
    ]
    await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP, Tags: tags }))
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'theirs',
        GroupName: GROUP,
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: `arn:aws:ecs:${MOTO_REGION}:123456789012:cluster/${SPACE}`,
          RoleArn: 'arn:aws:iam::123456789012:role/theirs',
          EcsParameters: { TaskDefinitionArn: `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/job:1` },
        },
      }),
    )

    const res = await app.inject({ method: 'GET', url: `/v1/ecs/main/spaces/${SPACE}`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<{ Services: Entry[]; TaskDefinitionFamilies: Entry[] }>()
    expect(body.Services.map((s) => s.ServiceName)).toEqual(['web', 'worker'])
    for (const s of body.Services) expect(s).not.toHaveProperty('Autoscaling')
    for (const f of body.TaskDefinitionFamilies) expect(f).not.toHaveProperty('Schedules')
    expect(res.body).not.toContain('stowaway')
    expect(res.body).not.toContain('theirs')
    expect(body).not.toHaveProperty('IncompleteSections')
  })

  it('leaves autoscaling out for credentials that may not read it, and shows the rest (injected failure)', async () => {
    const app = await buildTestApp()
    await seedSpace(app)
    await putSetting(app, { min: 1, max: 4, targets: { cpu: 60 } }, autoscalingUrl('web', SPACE))
    await createSchedule(app)
    failAwsCall(app, 'applicationAutoScaling', 'DescribeScalableTargets', awsError('AccessDeniedException', 400))

    const body = await summary(app)
    for (const s of body.Services) expect(s).not.toHaveProperty('Autoscaling')
    expect(named(body.TaskDefinitionFamilies, 'Family', 'job')?.Schedules).toHaveLength(1)
    expect(body).not.toHaveProperty('IncompleteSections')
  })

  it('names a section that could not be read and keeps the rest of the summary (injected failure)', async () => {
    const app = await buildTestApp()
    await seedSpace(app)
    await putSetting(app, { min: 1, max: 4, targets: { cpu: 60 } }, autoscalingUrl('web', SPACE))
    failAwsCall(app, 'scheduler', 'ListSchedules', awsError('InternalServerException', 500))

    const body = await summary(app)
    expect(body.IncompleteSections).toEqual(['Schedules'])
    expect(named(body.Services, 'ServiceName', 'web')?.Autoscaling).toEqual({ Min: 1, Max: 4, Targets: { Cpu: 60 } })
  })
})

/**
 * PUT, GET and DELETE /v1/ecs/{account}/clusters/{cluster}/services/{service}/autoscaling against
 * moto: what Application Auto Scaling holds afterwards (read from moto directly), the range rule of
 * a service update, the removal by a recursive service delete, org isolation and bad input.
 */
import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import {
  autoscalingUrl,
  DIMENSION,
  NOTHING,
  putSetting,
  scalingClients,
  scalingSnapshot,
  seedAlbTargetGroup,
  seedScalableService,
} from './autoscaling-fixtures.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { finished } from './delete-operation-helpers.js'
import { motoService, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

const RESOURCE = 'service/space1/web'

/** The documented example body, with its keys in several spellings. */
const FULL_BODY = {
  Min: 1,
  MAX: 10,
  targets: { CPU: 60, memory: 75, RequestsPerTarget: 500 },
  scaleincooldown: 300,
  ScaleOutCooldown: 60,
  schedules: [{ Name: 'nights', cron: 'cron(0 20 * * ? *)', TimeZone: 'America/New_York', min: 0, max: 1 }],
}

describe('PUT and GET autoscaling', () => {
  it('registers the range, one target-tracking policy per target (ALB label of the service\'s target group) and the scheduled actions', async () => {
    const c = scalingClients()
    const { targetGroupArn, label } = await seedAlbTargetGroup(c, 'space1')
    await seedScalableService(c, 'space1', 'web', { targetGroupArn })
    const app = await buildTestApp()

    const res = await putSetting(app, FULL_BODY)
    expect(res.statusCode, res.body).toBe(200)
    const setting = {
      ResourceId: RESOURCE,
      Min: 1,
      Max: 10,
      Targets: { Cpu: 60, Memory: 75, RequestsPerTarget: 500 },
      ScaleInCooldown: 300,
      ScaleOutCooldown: 60,
      Schedules: [{ Name: 'nights', Cron: 'cron(0 20 * * ? *)', Timezone: 'America/New_York', Min: 0, Max: 1 }],
    }
    expect(res.json()).toEqual(setting)

    const cooldowns = { scaleIn: 300, scaleOut: 60, type: 'TargetTrackingScaling' }
    expect(await scalingSnapshot(c, RESOURCE)).toEqual({
      target: { min: 1, max: 10 },
      policies: {
        'spinup-cpu': { ...cooldowns, metric: 'ECSServiceAverageCPUUtilization', label: undefined, value: 60 },
        'spinup-memory': { ...cooldowns, metric: 'ECSServiceAverageMemoryUtilization', label: undefined, value: 75 },
        'spinup-requests-per-target': { ...cooldowns, metric: 'ALBRequestCountPerTarget', label, value: 500 },
      },
      actions: { nights: { schedule: 'cron(0 20 * * ? *)', timezone: 'America/New_York', min: 0, max: 1 } },
    })
    expect(label).toMatch(/^app\/space1-alb\/[^/]+\/targetgroup\/space1-tg\/[^/]+$/)

    // moto does not implement DescribeScalingActivities: not offered, so no activities.
    const shown = await app.inject({ method: 'GET', url: autoscalingUrl(), headers: authHeaders })
    expect(shown.statusCode, shown.body).toBe(200)
    expect(shown.json()).toEqual({ ...setting, ScalingActivities: [] })

    // Credentials that may not call it: not offered either (injected failure).
    failAwsCall(app, 'applicationAutoScaling', 'DescribeScalingActivities', awsError('AccessDeniedException', 400))
    const denied = await app.inject({ method: 'GET', url: autoscalingUrl(), headers: authHeaders })
    expect(denied.statusCode, denied.body).toBe(200)
    expect(denied.json().ScalingActivities).toEqual([])
  })

  it('replaces the setting: policies and scheduled actions no longer in the body are removed', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    const first = await putSetting(app, {
      min: 1,
      max: 4,
      targets: { cpu: 50, memory: 70 },
      schedules: [
        { name: 'mornings', cron: 'cron(0 8 ? * MON-FRI *)', min: 2, max: 4 },
        { name: 'daily', cron: 'rate(1 day)', min: 1 },
      ],
    })
    expect(first.statusCode, first.body).toBe(200)

    const second = await putSetting(app, {
      min: 2,
      max: 6,
      targets: { cpu: 65 },
      schedules: [{ name: 'mornings', cron: 'cron(30 7 ? * MON-FRI *)', timezone: 'europe/paris', max: 6 }],
    })
    expect(second.statusCode, second.body).toBe(200)
    expect(second.json().Schedules).toEqual([{ Name: 'mornings', Cron: 'cron(30 7 ? * MON-FRI *)', Timezone: 'Europe/Paris', Max: 6 }])
    expect(await scalingSnapshot(c, RESOURCE)).toEqual({
      target: { min: 2, max: 6 },
      policies: {
        'spinup-cpu': { type: 'TargetTrackingScaling', metric: 'ECSServiceAverageCPUUtilization', label: undefined, value: 65, scaleIn: undefined, scaleOut: undefined },
      },
      actions: { mornings: { schedule: 'cron(30 7 ? * MON-FRI *)', timezone: 'Europe/Paris', min: undefined, max: 6 } },
    })

    const shown = await app.inject({ method: 'GET', url: autoscalingUrl(), headers: authHeaders })
    expect(shown.json()).toMatchObject({ Min: 2, Max: 6, Targets: { Cpu: 65 }, Schedules: [{ Name: 'mornings', Max: 6 }] })
  })

  it('is a 404 without a setting', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: autoscalingUrl(), headers: authHeaders })
    expect(res.statusCode, res.body).toBe(404)
    expect(res.json()).toMatchObject({ code: 'NotFound', detail: expect.stringContaining('no autoscaling setting') })
  })

  it('refuses requestsPerTarget for a service behind no target group of the space, changing nothing', async () => {
    const c = scalingClients()
    const theirs = await seedAlbTargetGroup(c, 'space2')
    await seedScalableService(c, 'space1', 'web')
    await seedScalableService(c, 'space1', 'api', { targetGroupArn: theirs.targetGroupArn })
    const app = await buildTestApp()
    for (const service of ['web', 'api']) {
      const res = await putSetting(app, { min: 1, max: 3, targets: { requestsPerTarget: 100 } }, autoscalingUrl(service))
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', path: 'targets.requestsPerTarget', detail: expect.stringContaining('target group of space space1') })
      expect(await scalingSnapshot(c, `service/space1/${service}`)).toEqual(NOTHING)
    }
  })
})

describe('DELETE autoscaling', () => {
  it('removes policies, scheduled actions and the scalable target; the service keeps its count', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    expect((await putSetting(app, { min: 1, max: 5, targets: { cpu: 50 }, schedules: [{ name: 'n', cron: 'cron(0 1 * * ? *)', max: 1 }] })).statusCode).toBe(200)

    const res = await app.inject({ method: 'DELETE', url: autoscalingUrl(), headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ ResourceId: RESOURCE, Min: 1, Max: 5, Targets: { Cpu: 50 } })
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(NOTHING)
    expect((await motoService(c.ecs, 'space1', 'web'))?.desiredCount).toBe(2)

    expect((await app.inject({ method: 'GET', url: autoscalingUrl(), headers: authHeaders })).statusCode).toBe(404)
    expect((await app.inject({ method: 'DELETE', url: autoscalingUrl(), headers: authHeaders })).statusCode).toBe(404)
  })

  it('is done first by a recursive service delete', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    expect((await putSetting(app, { min: 1, max: 5, targets: { memory: 80 }, schedules: [{ name: 'n', cron: 'rate(5 minutes)', min: 1 }] })).statusCode).toBe(200)

    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space1/services/web?recursive=true', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    const op = await finished(app, String(res.headers.location))
    expect(op.steps.find((s) => s.id === 'delete-service')?.status).toBe('succeeded')
    expect((op.events ?? []).map((e) => e.message)).toContain('removed the autoscaling of service web')
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(NOTHING)
  })

  it('does not hold up a recursive service delete whose credentials may not read autoscaling (injected failure)', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    failAwsCall(app, 'applicationAutoScaling', 'DescribeScalableTargets', awsError('AccessDeniedException', 400))
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/clusters/space1/services/web?recursive=true', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(202)
    const op = await finished(app, String(res.headers.location))
    expect(op.steps.find((s) => s.id === 'delete-service')?.status).toBe('succeeded')
    expect((op.events ?? []).map((e) => e.message)).toContainEqual(expect.stringMatching(/^did not check the autoscaling of service web: /))
    expect((await motoService(c.ecs, 'space1', 'web'))?.status).not.toBe('ACTIVE')
  })
})

describe('service update within the autoscaling range', () => {
  it('refuses a DesiredCount outside [min, max], naming both, and accepts one inside', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    expect((await putSetting(app, { min: 2, max: 4 })).statusCode).toBe(200)
    const update = (count: number) =>
      app.inject({ method: 'PUT', url: '/v1/ecs/main/clusters/space1/services/web', headers: authHeaders, payload: { Service: { DesiredCount: count } } })

    for (const count of [1, 5]) {
      const res = await update(count)
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json()).toMatchObject({ code: 'BadRequest', path: 'service.desiredCount', min: 2, max: 4 })
      expect(res.json().detail).toMatch(/service\.desiredCount .*min 2, max 4/)
      expect((await motoService(c.ecs, 'space1', 'web'))?.desiredCount).toBe(2)
    }
    const ok = await update(3)
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await motoService(c.ecs, 'space1', 'web'))?.desiredCount).toBe(3)
  })
})

describe('org isolation', () => {
  it("is a 404 for another org's service, a missing one and another account, touching nothing", async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'theirs', { org: OTHER_ORG })
    // Their own setting, made directly: invisible and untouchable through this API.
    await c.aas.send(
      new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/space1/theirs', ScalableDimension: DIMENSION, MinCapacity: 1, MaxCapacity: 3 }),
    )
    const theirs = await scalingSnapshot(c, 'service/space1/theirs')
    const app = await buildTestApp()
    for (const url of [autoscalingUrl('theirs'), autoscalingUrl('missing'), autoscalingUrl('theirs', 'space1', 'other')]) {
      for (const method of ['PUT', 'GET', 'DELETE'] as const) {
        const res = await app.inject({ method, url, headers: authHeaders, ...(method === 'PUT' ? { payload: { min: 1, max: 2 } } : {}) })
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404)
      }
    }
    expect(await scalingSnapshot(c, 'service/space1/theirs')).toEqual(theirs)
    expect(theirs.target).toEqual({ min: 1, max: 3 })
  })
})

describe('bad input', () => {
  const base = { min: 1, max: 3 }
  const schedule = (s: Record<string, unknown>) => ({ ...base, schedules: [{ name: 'n', cron: 'cron(0 20 * * ? *)', max: 1, ...s }] })
  const cases: [string, unknown, string, RegExp][] = [
    ['min > max', { min: 4, max: 3 }, 'min', /greater than max/],
    ['a negative count', { min: -1, max: 3 }, 'min', /at least 0/],
    ['a fractional count', { min: 1, max: 2.5 }, 'max', /whole number/],
    ['max over the ceiling', { min: 1, max: 101 }, 'max', /at most 100/],
    ['no max', { min: 1 }, 'max', /required/],
    ['a cpu target of 0', { ...base, targets: { cpu: 0 } }, 'targets.cpu', /1 to 100/],
    ['a memory target over 100', { ...base, targets: { memory: 101 } }, 'targets.memory', /1 to 100/],
    ['an unknown target key', { ...base, targets: { gpu: 50 } }, 'targets.gpu', /not a known target/],
    ['a negative cooldown', { ...base, scaleInCooldown: -5 }, 'scaleInCooldown', /seconds/],
    ['an unknown time zone', schedule({ timezone: 'Mars/Olympus' }), 'schedules[0].timezone', /not a known IANA time zone/],
    ['a five-field cron', schedule({ cron: 'cron(0 20 * * ?)' }), 'schedules[0].cron', /AWS takes 6/],
    ['an hour out of range', schedule({ cron: 'cron(0 25 * * ? *)' }), 'schedules[0].cron', /hours field "25".* at position 8/],
    ['both day fields given', schedule({ cron: 'cron(0 20 1 * MON *)' }), 'schedules[0].cron', /day-of-month and day-of-week/],
    ['a rate with the wrong unit', schedule({ cron: 'rate(5 minute)' }), 'schedules[0].cron', /minutes/],
    ['an impossible at', schedule({ cron: 'at(2027-02-30T00:00:00)' }), 'schedules[0].cron', /day 30 is not in 02\/2027/],
    ['no expression kind', schedule({ cron: '0 20 * * ? *' }), 'schedules[0].cron', /cron\(\.\.\.\), rate/],
    ['a schedule name with a space', schedule({ name: 'two words' }), 'schedules[0].name', /1 to 64/],
    ['a schedule name of 65 characters', schedule({ name: 'a'.repeat(65) }), 'schedules[0].name', /1 to 64/],
    ['a schedule min over its max', schedule({ min: 3, max: 2 }), 'schedules[0].min', /greater than/],
    ['a schedule without min or max', { ...base, schedules: [{ name: 'n', cron: 'rate(1 hour)' }] }, 'schedules[0]', /needs min, max or both/],
    ['a target that is not a number', { ...base, targets: { CPU: 'high' } }, 'targets.CPU', /must be a number/],
  ]

  // One service and one app for every case: each case changes nothing, which is what is checked.
  it('refuses each case with a 400 naming the field, changing nothing in AWS', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp()
    for (const [name, body, field, detail] of cases) {
      const res = await putSetting(app, body)
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400)
      const problem = res.json()
      expect(problem.code, name).toBe('BadRequest')
      expect(problem.detail, name).toContain(field)
      expect(problem.detail, name).toMatch(detail)
      expect(problem.field, name).toBe(field)
    }
    expect(await scalingSnapshot(c, RESOURCE)).toEqual(NOTHING)
  })

  it('takes the ceiling from the config (autoscaling.maxCapacity)', async () => {
    const c = scalingClients()
    await seedScalableService(c, 'space1', 'web')
    const app = await buildTestApp({ autoscaling: { maxCapacity: 5 } })
    const res = await putSetting(app, { min: 1, max: 6 })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().detail).toMatch(/max must be at most 5/)
    expect((await putSetting(app, { min: 1, max: 5 })).statusCode).toBe(200)
  })
})

describe('OpenAPI', () => {
  it('documents the three routes with the example body', async () => {
    const app = await buildTestApp()
    const spec = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>()
    const ops = spec.paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}/autoscaling']
    expect(Object.keys(ops ?? {}).sort()).toEqual(['delete', 'get', 'put'])
    expect(JSON.stringify(ops?.put?.requestBody)).toContain('cron(0 20 * * ? *)')
  })
})

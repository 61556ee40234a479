/**
 * Fixtures of the schedule route tests: URLs, a schedule body, and what moto holds of the space's
 * schedules, group and scheduler role.
 */
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam'
import {
  GetScheduleCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler'
import type { FastifyInstance } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { motoClientConfig, motoEndpoint, unlessNotFound } from '../harness/index.js'
import { post, SPACE } from './taskdefs-fixtures.js'

export const GROUP = `spinup.testorg.${SPACE}`
export const SCHEDULER_ROLE = `${SPACE}-ecsScheduler`
export const POLICY_NAME = 'ECSScheduledTaskPolicy'

export const schedulesUrl = (family = 'job', cluster = SPACE, account = 'main') =>
  `/v1/ecs/${account}/clusters/${cluster}/taskdefs/${family}/schedules`

export function scheduleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'nightly-report', expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Paris', ...overrides }
}

export interface ScheduleAnswer {
  Name: string
  Expression: string
  Timezone: string
  State: string
  Enabled: boolean
  Description: string | null
  Cluster: string
  TaskDefinition: string
  Revision: number
  Count: number
  LaunchType: string
  NetworkConfiguration: { Subnets: string[]; SecurityGroups: string[]; AssignPublicIp: string }
  Overrides: Record<string, unknown> | null
  RoleArn: string
  NextRuns: string[]
}

/** Creates a schedule through the API and expects a 201. */
export async function createSchedule(app: FastifyInstance, body: Record<string, unknown> = scheduleBody(), family = 'job'): Promise<ScheduleAnswer> {
  const res = await post(app, schedulesUrl(family), body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<ScheduleAnswer>()
}

/** SDK clients for the scheduler and IAM of moto's main account, closed after the test. */
export function schedulerClients() {
  const clients = { scheduler: new SchedulerClient(motoClientConfig(motoEndpoint())), iam: new IAMClient(motoClientConfig(motoEndpoint())) }
  onTestFinished(() => {
    clients.scheduler.destroy()
    clients.iam.destroy()
  })
  return clients
}

type Clients = ReturnType<typeof schedulerClients>

/** Every schedule group but the default one, with its tags and schedules (names and targets). */
export async function schedulerState(c: Clients): Promise<Record<string, unknown>> {
  const groups = (await c.scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups ?? []
  const out: Record<string, unknown> = {}
  for (const g of groups) {
    if (g.Name === 'default') continue
    const tags = (await c.scheduler.send(new ListTagsForResourceCommand({ ResourceArn: g.Arn }))).Tags ?? []
    const listed = (await c.scheduler.send(new ListSchedulesCommand({ GroupName: g.Name }))).Schedules ?? []
    const schedules = await Promise.all(
      listed.map(async (s) => {
        const full = await c.scheduler.send(new GetScheduleCommand({ GroupName: g.Name, Name: s.Name }))
        return { name: full.Name, expression: full.ScheduleExpression, state: full.State, target: full.Target?.EcsParameters?.TaskDefinitionArn }
      }),
    )
    out[g.Name ?? ''] = { tags: [...tags].sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? '')), schedules }
  }
  const role = await unlessNotFound(c.iam.send(new GetRoleCommand({ RoleName: SCHEDULER_ROLE })))
  const policy = role ? await unlessNotFound(c.iam.send(new GetRolePolicyCommand({ RoleName: SCHEDULER_ROLE, PolicyName: POLICY_NAME }))) : undefined
  return { groups: out, role: role ? SCHEDULER_ROLE : null, policy: policy ? JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '')) : null }
}

/** A schedule read back from moto, whole. */
export async function motoSchedule(c: Clients, name: string, group = GROUP) {
  return unlessNotFound(c.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name })))
}

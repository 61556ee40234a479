/**
 * POST .../taskdefs/{taskdef}/tasks with a network of the caller's: only the account's configured
 * subnets and security groups (a part of them is fine); any other is a 400 naming the entry, and no
 * task runs.
 */
import { ListTasksCommand } from '@aws-sdk/client-ecs'
import { beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { captureAwsCalls } from './aws-fault.js'
import { motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { createTaskDef, expectProblem, motoClients, post, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

const url = `/v1/ecs/main/clusters/${SPACE}/taskdefs/job/tasks`
const network = (vpc: Record<string, unknown>) => ({ NetworkConfiguration: { AwsvpcConfiguration: vpc } })

describe('run task: subnets and security groups', () => {
  it("refuses those the account does not configure, runs in a part of its own", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const main = app.accounts.get('main')!.config
    const subnets = [...(main.defaultSubnets ?? [])]
    const sgs = [...(main.defaultSgs ?? [])]
    for (const [vpc, field] of [
      [{ Subnets: ['subnet-0123456789abcdef0'] }, 'networkConfiguration.awsvpcConfiguration.subnets[0]'],
      [{ Subnets: subnets, SecurityGroups: [...sgs, 'sg-0123456789abcdef0'] }, 'networkConfiguration.awsvpcConfiguration.securityGroups[1]'],
      [{ SecurityGroups: ['sg-0123456789abcdef0'] }, 'networkConfiguration.awsvpcConfiguration.securityGroups[0]'],
    ] as const) {
      const res = await post(app, url, network(vpc))
      expectProblem(res, 400, 'BadRequest', /is not one of the account's (defaultSubnets|defaultSgs)/)
      expect(res.json().detail).toContain(field)
    }
    expect((await c.ecs.send(new ListTasksCommand({ cluster: SPACE }))).taskArns).toEqual([])

    const calls = captureAwsCalls(app, 'ecs', 'RunTask')
    const ok = await post(app, url, network({ Subnets: subnets.slice(1), SecurityGroups: sgs }))
    expect(ok.statusCode, ok.body).toBe(200)
    expect(calls[0]).toMatchObject({ networkConfiguration: { awsvpcConfiguration: { subnets: subnets.slice(1), securityGroups: sgs } } })
  })
})

/**
 * Two creates in a new space at once: both look for the cluster, role and log group, find none and
 * create them. Neither may end up with its task definition in a space the other's rollback took away.
 */
import { DescribeClustersCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { createBody, motoClients, post, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const ROLE = `${SPACE}-ecsTaskExecution`

function bodyOf(family: string): Record<string, unknown> {
  const base = createBody()
  return {
    ...base,
    taskdefinition: { ...(base.taskdefinition as Record<string, unknown>), family },
    credentials: { api: { Name: `${family}-cred`, SecretString: '{"username":"u","password":"p"}' } },
  }
}

describe('concurrent task definition creates in a new space', () => {
  it.each([1, 2, 3])('both succeed, or the failed one leaves the other its cluster, role, log group and task definition (round %i)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const families = ['alpha', 'beta']
    const answers = await Promise.all(families.map((family) => post(app, '/v1/ecs/main/taskdefs', bodyOf(family))))

    const succeeded = families.filter((_, i) => answers[i]?.statusCode === 200)
    expect(succeeded.length, answers.map((a) => a.body).join('\n')).toBeGreaterThan(0)
    const cluster = (await c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE] }))).clusters?.[0]
    expect(cluster?.status).toBe('ACTIVE')
    expect((await c.iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleName).toBe(ROLE)
    const policy = await c.iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' }))
    expect(policy.PolicyDocument).toBeTruthy()
    const groups = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: SPACE }))).logGroups ?? []
    expect(groups.map((g) => g.logGroupName)).toContain(SPACE)
    for (const family of succeeded) {
      const active = await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }))
      expect(active.taskDefinitionArns ?? [], family).toHaveLength(1)
    }
    // The race this guards against: the second create failed on the role the first had just made.
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200])
  })
})

const STEPS = ['ensure-cluster', 'ensure-task-execution-role', 'ensure-log-group', 'create-repository-credentials', 'register-task-definition']

describe('concurrent task definition creates in a new space, one failing', () => {
  it.each(STEPS)('the one that fails at %s leaves the other its cluster, role, log group and revision (injected failure after the step, by the workflow observer)', async (step) => {
    let failed = false
    testWorkflowHooks.current = {
      // The first create to finish the step fails right after it: its rollback undoes the step.
      onStepSuccess: (id) => {
        if (id !== step || failed) return
        failed = true
        throw new Error(`${step} failed (injected after its work by the workflow observer)`)
      },
    }
    const app = await buildTestApp()
    const c = motoClients()
    const families = ['alpha', 'beta']
    const answers = await Promise.all(families.map((family) => post(app, '/v1/ecs/main/taskdefs', bodyOf(family))))
    expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([200, 500])
    const winner = families[answers.findIndex((a) => a.statusCode === 200)] ?? ''
    const loser = families.find((f) => f !== winner) ?? ''

    const active = (await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: winner, status: 'ACTIVE' }))).taskDefinitionArns ?? []
    expect(active).toHaveLength(1)
    expect((await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: loser, status: 'ACTIVE' }))).taskDefinitionArns ?? []).toEqual([])
    expect((await c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE] }))).clusters?.[0]?.status).toBe('ACTIVE')
    expect((await c.iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleName).toBe(ROLE)
    expect((await c.iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' }))).PolicyDocument).toBeTruthy()
    const groups = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: SPACE }))).logGroups ?? []
    expect(groups.map((g) => g.logGroupName)).toContain(SPACE)
  })
})

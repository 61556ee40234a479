/**
 * Two service creates in one new space at once, one of them failing at a step (the failure is
 * injected after the step's work by the workflow observer: moto cannot be made to fail there), against
 * moto: the creates of one space take turns, so the failed one's rollback never takes away the
 * cluster, role, policy or log group the other one made or reused.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeClustersCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { afterEach, describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { motoClients, motoService } from './services-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const SPACE = 'newspace'
const ROLE = `${SPACE}-ecsTaskExecution`

function createBody(name: string): Record<string, unknown> {
  return {
    cluster: { clusterName: SPACE },
    taskDefinition: {
      family: `${name}-family`,
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name, image: 'nginx:alpine' }],
    },
    credentials: { [name]: { Name: `${name}-cred`, SecretString: '{"username":"u","password":"p"}' } },
    service: { serviceName: name, desiredCount: 1 },
  }
}

const STEPS = ['ensure-cluster', 'ensure-task-execution-role', 'ensure-log-group', 'create-repository-credentials', 'register-task-definition', 'create-ecs-service']

describe('concurrent service creates in a new space', () => {
  it.each(STEPS)('the one that fails at %s leaves the other its space intact', async (step) => {
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
    const names = ['alpha', 'beta']
    const answers = await Promise.all(
      names.map((name) => app.inject({ method: 'POST', url: '/v1/ecs/main/services', headers: authHeaders, payload: createBody(name) })),
    )
    expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([200, 500])
    const winner = names[answers.findIndex((a) => a.statusCode === 200)] ?? ''

    const service = await motoService(c.ecs, SPACE, winner)
    expect(service?.status).toBe('ACTIVE')
    const td = (await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition ?? '' }))).taskDefinition
    expect(td?.executionRoleArn).toContain(ROLE)
    expect((await c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE] }))).clusters?.[0]?.status).toBe('ACTIVE')
    expect((await c.iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleName).toBe(ROLE)
    expect((await c.iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' }))).PolicyDocument).toBeTruthy()
    const groups = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: SPACE }))).logGroups ?? []
    expect(groups.map((g) => g.logGroupName)).toContain(SPACE)
  })
})

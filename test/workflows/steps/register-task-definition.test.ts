import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import type { WorkflowFailedError } from '../../../src/workflows/engine.js';
import { defineWorkflow } from '../../../src/workflows/engine.js'
import { createRepositoryCredentials } from '../../../src/workflows/steps/create-repository-credentials.js'
import { ensureCluster } from '../../../src/workflows/steps/ensure-cluster.js'
import { ensureLogGroup } from '../../../src/workflows/steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from '../../../src/workflows/steps/ensure-task-execution-role.js'
import {
  registerTaskDefinition,
  type TaskDefinitionScope,
} from '../../../src/workflows/steps/register-task-definition.js'
import type { CredentialsScope } from '../../../src/workflows/steps/create-repository-credentials.js'
import type { ClusterScope } from '../../../src/workflows/steps/ensure-cluster.js'
import { TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { failAfter, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

type Scope = ClusterScope & CredentialsScope & TaskDefinitionScope
const steps = [ensureCluster, ensureTaskExecutionRole, ensureLogGroup, createRepositoryCredentials, registerTaskDefinition]

async function scope(): Promise<Scope> {
  return {
    ...(await testScope()),
    cluster: { clusterName: SPACE },
    credentials: { api: { SecretString: '{"username":"u","password":"p"}' } },
    taskDefinition: {
      family: 'web',
      cpu: '256',
      memory: '512',
      // Whatever the client says about these is replaced.
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      executionRoleArn: 'arn:aws:iam::123456789012:role/elsewhere',
      containerDefinitions: [
        { name: 'nginx', image: 'nginx:alpine', logConfiguration: { logDriver: 'json-file' } },
        { name: 'api', image: 'private.example.com/api:1' },
      ],
    },
  }
}

describe('register-task-definition (with the steps it depends on)', () => {
  it('registers a Fargate definition wired to the space role, log group (account region) and credentials', async () => {
    const { ecs, iam } = moto()
    const result = await defineWorkflow<Scope>('wf', steps).run(await scope())
    const { taskDefinition, tags } = result.outputOf(registerTaskDefinition)
    const roleArn = `arn:aws:iam::123456789012:role/${SPACE}-ecsTaskExecution`
    expect(taskDefinition).toMatchObject({
      family: 'web',
      revision: 1,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: roleArn,
      taskRoleArn: roleArn,
    })
    for (const container of taskDefinition.containerDefinitions ?? []) {
      expect(container.logConfiguration).toEqual({
        logDriver: 'awslogs',
        options: {
          'awslogs-region': 'us-east-1',
          'awslogs-create-group': 'true',
          'awslogs-group': SPACE,
          'awslogs-stream-prefix': 'web',
        },
      })
    }
    const api = taskDefinition.containerDefinitions?.find((c) => c.name === 'api')
    expect(api?.repositoryCredentials?.credentialsParameter).toBe(result.outputOf(createRepositoryCredentials).arns.api)
    expect(taskDefinition.containerDefinitions?.find((c) => c.name === 'nginx')?.repositoryCredentials).toBeUndefined()
    expect(tags).toContainEqual({ key: 'spinup:flavor', value: 'task' })

    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] }))
    expect(described.tags).toContainEqual({ key: 'spinup:org', value: TEST_ORG })
    expect(await iam.send(new GetRolePolicyCommand({ RoleName: `${SPACE}-ecsTaskExecution`, PolicyName: 'ECSTaskAccessPolicy' }))).toBeDefined()
  })

  it('rollback of the whole composition leaves nothing behind: revision deleted, secrets, role, log group, cluster gone', async () => {
    const { ecs, secrets } = moto()
    const err = await defineWorkflow<Scope>('wf', [...steps, failAfter(registerTaskDefinition)])
      .run(await scope())
      .catch((e: unknown) => e)
    const report = (err as WorkflowFailedError).report
    expect(report.rolledBack[0]).toBe('register-task-definition')
    expect([...report.rolledBack].sort()).toEqual([
      'create-repository-credentials',
      'ensure-cluster',
      'ensure-log-group',
      'ensure-task-execution-role',
      'register-task-definition',
    ])
    expect(report.rollbackFailures).toEqual([])
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'INACTIVE' }))
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }))
    expect([...(inactive.taskDefinitionArns ?? []), ...(active.taskDefinitionArns ?? [])]).toEqual([])
    expect((await secrets.send(new ListSecretsCommand({}))).SecretList).toEqual([])
  })
})

import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { ecsServices } from '../../../src/aws/ecs-services.js'
import type { WorkflowFailedError } from '../../../src/workflows/engine.js';
import { defineWorkflow } from '../../../src/workflows/engine.js'
import { restoreInput, updateEcsServiceStep, type ServiceUpdateScope } from '../../../src/workflows/steps/update-ecs-service.js'
import { awslogsGroups } from '../../../src/workflows/steps/tag-service-resources.js'
import { useMotoReset } from '../../harness/index.js'
import { failAfter, mainAccount, moto, SPACE } from './space-fixtures.js'

useMotoReset()

describe('restoreInput', () => {
  it('puts back exactly the members the update set, from the service as it was', () => {
    const current = { desiredCount: 2, taskDefinition: 'arn:td:1', platformVersion: 'LATEST', propagateTags: 'SERVICE' as const }
    expect(restoreInput(current, { cluster: 'c', service: 's', desiredCount: 5, taskDefinition: 'arn:td:2', forceNewDeployment: true })).toEqual({
      cluster: 'c',
      service: 's',
      desiredCount: 2,
      taskDefinition: 'arn:td:1',
    })
    // A redeploy alone changes nothing that could be put back.
    expect(restoreInput(current, { cluster: 'c', service: 's', forceNewDeployment: true })).toBeUndefined()
  })
})

describe('update-ecs-service against moto', () => {
  it('moves the service to the new revision and rollback moves it back', async () => {
    const { ecs } = moto()
    const account = await mainAccount()
    await ecs.send(new CreateClusterCommand({ clusterName: SPACE }))
    const register = async () =>
      (await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] })))
        .taskDefinition!.taskDefinitionArn!
    const [first, second] = [await register(), await register()]
    const created = await ecs.send(new CreateServiceCommand({ cluster: SPACE, serviceName: 'www', taskDefinition: first, desiredCount: 1 }))
    const scope: ServiceUpdateScope = {
      services: ecsServices(account.clients.ecs),
      current: created.service!,
      update: { service: 'www', desiredCount: 4 },
    }
    const step = updateEcsServiceStep<ServiceUpdateScope>({ dependsOn: [], taskDefinition: () => second })
    const err = await defineWorkflow('wf', [step, failAfter(step)])
      .run(scope)
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['update-ecs-service'])
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: SPACE, services: ['www'] }))).services![0]!
    expect(service.taskDefinition).toBe(first)
    expect(service.desiredCount).toBe(1)
  })
})

describe('awslogsGroups', () => {
  it('lists each awslogs group once and ignores other drivers', () => {
    const awslogs = (group: string) => ({ logDriver: 'awslogs' as const, options: { 'awslogs-group': group } })
    expect(
      awslogsGroups({
        containerDefinitions: [
          { name: 'a', logConfiguration: awslogs('space1') },
          { name: 'b', logConfiguration: awslogs('space1') },
          { name: 'c', logConfiguration: { logDriver: 'splunk', options: { 'awslogs-group': 'x' } } },
          { name: 'd' },
        ],
      }),
    ).toEqual(['space1'])
  })
})

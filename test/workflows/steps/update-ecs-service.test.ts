import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { ecsServices } from '../../../src/aws/ecs-services.js'
import type { WorkflowFailedError } from '../../../src/workflows/engine.js';
import { defineWorkflow } from '../../../src/workflows/engine.js'
import {
  restoreInput,
  restoreUnlessChangedSince,
  updateEcsServiceStep,
  type ServiceRestore,
  type ServiceUpdateScope,
} from '../../../src/workflows/steps/update-ecs-service.js'
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

describe('restoreUnlessChangedSince (a rollback finished later by a tracked operation), against moto', () => {
  /** A service on revision 1 moved by the step to revision 2 with 4 tasks; answers what undoing it needs, as stored (JSON). */
  async function updated() {
    const { ecs } = moto()
    const account = await mainAccount()
    await ecs.send(new CreateClusterCommand({ clusterName: SPACE }))
    const register = async () =>
      (await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] })))
        .taskDefinition!.taskDefinitionArn!
    const [first, second] = [await register(), await register()]
    const created = await ecs.send(new CreateServiceCommand({ cluster: SPACE, serviceName: 'www', taskDefinition: first, desiredCount: 1 }))
    const services = ecsServices(account.clients.ecs)
    const scope: ServiceUpdateScope = { services, current: created.service!, update: { service: 'www', desiredCount: 4 } }
    const step = updateEcsServiceStep<ServiceUpdateScope>({ dependsOn: [], taskDefinition: () => second })
    const result = await step.invoke({
      scope,
      signal: new AbortController().signal,
      outputOf: () => {
        throw new Error('no dependencies')
      },
      once: (_key, compute) => compute(),
    })
    if (!('compensation' in result) || !result.compensation) throw new Error('the update left nothing to undo')
    const stored = JSON.parse(JSON.stringify(result.compensation)) as ServiceRestore
    const describe = async () => (await ecs.send(new DescribeServicesCommand({ cluster: SPACE, services: ['www'] }))).services![0]!
    return { ecs, services, stored, first, second, describe }
  }

  it('puts back every member that still holds what the update set', async () => {
    const { services, stored, first, describe } = await updated()
    expect(await restoreUnlessChangedSince(services, stored)).toBe('put back desiredCount, taskDefinition of service www')
    expect(await describe()).toMatchObject({ taskDefinition: first, desiredCount: 1 })
  })

  it('leaves a member someone changed since as it is, and puts back the rest', async () => {
    const { ecs, services, stored, first, describe } = await updated()
    await ecs.send(new UpdateServiceCommand({ cluster: SPACE, service: 'www', desiredCount: 7 }))
    expect(await restoreUnlessChangedSince(services, stored)).toBe(
      'put back taskDefinition of service www; changed since, left as they are: desiredCount',
    )
    expect(await describe()).toMatchObject({ taskDefinition: first, desiredCount: 7 })
  })

  it('does nothing to a service deleted since', async () => {
    const { ecs, services, stored } = await updated()
    await ecs.send(new DeleteServiceCommand({ cluster: SPACE, service: 'www', force: true }))
    expect(await restoreUnlessChangedSince(services, stored)).toBe('service www is gone: nothing to put back')
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

import { CreateClusterCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { ecsServices } from '../../../src/aws/ecs-services.js'
import { InputError } from '../../../src/core/errors.js'
import type { WorkflowFailedError } from '../../../src/workflows/engine.js';
import { defineWorkflow } from '../../../src/workflows/engine.js'
import { createEcsServiceStep, createServiceInput, type EcsServiceScope } from '../../../src/workflows/steps/create-ecs-service.js'
import { serviceNetwork } from '../../../src/core/service-network.js'
import { TEST_ORG } from '../../harness/app.js'
import { defaultVpcResources, motoEndpoint, useMotoReset } from '../../harness/index.js'
import { failAfter, mainAccount, moto, SPACE } from './space-fixtures.js'

useMotoReset()

const network = { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-a'], allowPublicIp: false }
const tags = [
  { Key: 'spinup:org', Value: TEST_ORG },
  { Key: 'spinup:flavor', Value: 'service' },
]

describe('serviceNetwork', () => {
  it("uses the account's subnets and security groups and no public IP by default", () => {
    expect(serviceNetwork(undefined, network)).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-a'], assignPublicIp: 'DISABLED' },
    })
  })

  it('keeps what the client names, and refuses a public IP the account does not allow', () => {
    expect(serviceNetwork({ awsvpcConfiguration: { subnets: ['subnet-c'] } }, network).awsvpcConfiguration).toEqual({
      subnets: ['subnet-c'],
      securityGroups: ['sg-a'],
      assignPublicIp: 'DISABLED',
    })
    expect(() => serviceNetwork({ awsvpcConfiguration: { subnets: [], assignPublicIp: 'ENABLED' } }, network)).toThrow(InputError)
    expect(
      serviceNetwork({ awsvpcConfiguration: { subnets: [], assignPublicIp: 'ENABLED' } }, { ...network, allowPublicIp: true }).awsvpcConfiguration
        ?.assignPublicIp,
    ).toBe('ENABLED')
  })
})

describe('createServiceInput', () => {
  const base = { services: undefined as never, network, tags, clientToken: 'req-token' }

  it('sets cluster, task definition, token, tags and SERVICE tag propagation, and adds the registry once', () => {
    const scope: EcsServiceScope = { ...base, service: { serviceName: 'www', tags: [{ key: 'dropped', value: 'x' }] } }
    const input = createServiceInput(scope, 'space1', 'arn:td:1', 'arn:registry')
    expect(input).toMatchObject({
      serviceName: 'www',
      cluster: 'space1',
      taskDefinition: 'arn:td:1',
      clientToken: 'req-token',
      propagateTags: 'SERVICE',
      serviceRegistries: [{ registryArn: 'arn:registry' }],
      tags: [
        { key: 'spinup:org', value: TEST_ORG },
        { key: 'spinup:flavor', value: 'service' },
      ],
    })
    const listed: EcsServiceScope = { ...base, service: { serviceName: 'www', serviceRegistries: [{ registryArn: 'arn:registry' }], clientToken: 'mine', propagateTags: 'TASK_DEFINITION' } }
    const again = createServiceInput(listed, 'space1', 'arn:td:1', 'arn:registry')
    expect(again.serviceRegistries).toEqual([{ registryArn: 'arn:registry' }])
    expect(again.clientToken).toBe('mine')
    expect(again.propagateTags).toBe('TASK_DEFINITION')
  })
})

describe('create-ecs-service against moto', () => {
  it('creates the service and rollback force-deletes it', async () => {
    const { ecs } = moto()
    const account = await mainAccount()
    const vpc = await defaultVpcResources(motoEndpoint())
    await ecs.send(new CreateClusterCommand({ clusterName: SPACE }))
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
    )
    const scope: EcsServiceScope = {
      services: ecsServices(account.clients.ecs),
      service: { serviceName: 'www', desiredCount: 2 },
      network: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1), allowPublicIp: false },
      tags,
      clientToken: 'req-token',
    }
    const step = createEcsServiceStep<EcsServiceScope>({
      dependsOn: [],
      cluster: () => SPACE,
      taskDefinition: () => td.taskDefinition!.taskDefinitionArn!,
      registryArn: () => undefined,
    })
    const err = await defineWorkflow('wf', [step, failAfter(step)])
      .run(scope)
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['create-ecs-service'])
    const out = await ecs.send(new DescribeServicesCommand({ cluster: SPACE, services: ['www'], include: ['TAGS'] }))
    expect(out.services?.[0]?.status).toBe('INACTIVE')
    expect(out.services?.[0]?.tags).toEqual([
      { key: 'spinup:org', value: TEST_ORG },
      { key: 'spinup:flavor', value: 'service' },
    ])
  })
})

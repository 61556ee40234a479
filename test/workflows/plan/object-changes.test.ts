import type { Service, TaskDefinition } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { comparableService, comparableTaskDefinition, objectChange } from '../../../src/workflows/plan/object-changes.js'

/** A revision as ECS describes it: what was sent, plus what ECS keeps and fills in. */
const described: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  cpu: '256',
  memory: '512',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
  registeredAt: new Date('2026-12-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:user/x',
  volumes: [],
  placementConstraints: [],
  enableFaultInjection: false,
  containerDefinitions: [
    {
      name: 'web',
      image: 'nginx:alpine',
      cpu: 0,
      essential: true,
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
      environment: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }],
      mountPoints: [],
      volumesFrom: [],
      systemControls: [],
      versionConsistency: 'enabled',
    },
  ],
}

describe('comparable forms', () => {
  it('leave out what ECS keeps and fills in, so the definition sent back is no change', () => {
    const sent = {
      family: 'web',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc' as const,
      requiresCompatibilities: ['FARGATE' as const],
      containerDefinitions: [{ name: 'web', image: 'nginx:alpine', portMappings: [{ containerPort: 80 }], environment: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }],
    }
    expect(objectChange('td', comparableTaskDefinition(described), comparableTaskDefinition(sent, true))).toEqual({ Patch: [], Diff: '' })
  })

  it('show one changed member as exactly that member', () => {
    const sent = { ...described, containerDefinitions: [{ ...described.containerDefinitions![0], image: 'nginx:1.27' }] }
    const change = objectChange('td', comparableTaskDefinition(described), comparableTaskDefinition(sent))
    expect(change.Patch).toEqual([{ op: 'replace', path: '/ContainerDefinitions/0/Image', value: 'nginx:1.27' }])
    expect(change.Diff).toContain('--- live/td')
    expect(change.Diff).toContain('+      "Image": "nginx:1.27"')
  })

  it('leave out a service\'s defaults, counts and deployments', () => {
    const live: Service = {
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/space1/web',
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: false, rollback: false },
        alarms: { alarmNames: [], enable: false, rollback: false },
      },
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY' }],
      events: [],
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      enableECSManagedTags: false,
      propagateTags: 'NONE',
      enableExecuteCommand: false,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    }
    const planned: Service = {
      serviceName: 'web',
      desiredCount: 1,
      launchType: 'FARGATE',
      taskDefinition: live.taskDefinition,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'] } },
    }
    expect(objectChange('svc', comparableService(live), comparableService(planned)).Patch).toEqual([])
    expect(objectChange('svc', comparableService(live), comparableService({ ...planned, desiredCount: 2 })).Patch).toEqual([
      { op: 'replace', path: '/DesiredCount', value: 2 },
    ])
  })
})

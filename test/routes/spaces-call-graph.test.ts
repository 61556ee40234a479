/**
 * The space summary's AWS calls for 20 services, released round by round (see CallRounds): the
 * batching (10 services, 100 tasks per call; target health once per target group) and the length of
 * the critical path.
 */
import { CreateServiceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs'
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { managedTags, motoClients, seedService } from './services-fixtures.js'

useMotoReset()

describe('GET /v1/ecs/{account}/spaces/{space} with 20 services, its calls released round by round', () => {
  it('batches the describes and keeps 3 calls on the critical path', async () => {
    const { ecs } = motoClients()
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
    onTestFinished(() => elb.destroy())
    const vpc = await defaultVpcResources(motoEndpoint())
    const network = { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } }
    await setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 })
    // 15 plain services and 5 behind a target group each: 20 in all; 3 tasks of each plain service.
    for (let i = 0; i < 15; i++) {
      const name = `svc-${String(i).padStart(2, '0')}`
      const { taskDefinitionArn } = await seedService(ecs, 'wide', name)
      await ecs.send(
        new RunTaskCommand({ cluster: 'wide', taskDefinition: taskDefinitionArn, count: 3, launchType: 'FARGATE', group: `service:${name}`, networkConfiguration: network }),
      )
    }
    for (let i = 0; i < 5; i++) {
      const td = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `lbsvc-${i}`,
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'web', image: 'nginx:alpine', memoryReservation: 128 }],
          tags: managedTags(TEST_ORG, 'wide'),
        }),
      )
      const tg = await elb.send(
        new CreateTargetGroupCommand({ Name: `tg-${i}`, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip' }),
      )
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'wide',
          serviceName: `lbsvc-${i}`,
          taskDefinition: td.taskDefinition!.taskDefinitionArn!,
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: network,
          loadBalancers: [{ targetGroupArn: tg.TargetGroups![0]!.TargetGroupArn!, containerName: 'web', containerPort: 80 }],
          tags: managedTags(TEST_ORG, 'wide'),
        }),
      )
    }

    const app = await buildTestApp()
    const rounds = new CallRounds()
    const clients = app.accounts.get('main')!.clients
    for (const client of [clients.ecs, clients.elbv2, clients.tagging]) rounds.attach(client)
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces/wide', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json().Services).toHaveLength(20)
    expect(res.json().Services[5].Containers).toEqual([{ Name: 'web', Image: 'nginx:alpine', RunningDigests: [] }])

    const count = (round: string[], op: string) => round.filter((c) => c === op).length
    expect(rounds.rounds).toHaveLength(3)
    const [first, second, third] = rounds.rounds as [string[], string[], string[]]
    expect(first).toEqual(['DescribeClusters', 'GetResources', 'ListServices', 'ListTasks', 'ListTasks'])
    // 20 services: 2 batches of 10; 45 tasks: one batch of 100.
    expect(second).toEqual(['DescribeServices', 'DescribeServices', 'DescribeTasks'])
    // One revision per service, one health call per target group, all in one round.
    expect(count(third, 'DescribeTaskDefinition')).toBe(20)
    expect(count(third, 'DescribeTargetHealth')).toBe(5)
    expect(third).toHaveLength(25)
    expect(res.json().TaskDefinitionFamilies).toHaveLength(20)
  })
})

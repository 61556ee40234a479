/**
 * The space summary's AWS calls for 20 services, released round by round (see CallRounds): the
 * batching (10 services, 100 tasks per call; target health once per target group; scalable targets
 * of all services in one call) and the length of the critical path with the optional sections on.
 */
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling'
import { CreateServiceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs'
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { defaultVpcResources, MOTO_REGION, motoClientConfig, motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { managedTags, motoClients, seedService } from './services-fixtures.js'

useMotoReset()

describe('GET /v1/ecs/{account}/spaces/{space} with 20 services, its calls released round by round', () => {
  it('batches the describes and keeps 4 calls on the critical path with autoscaling and schedules', async () => {
    const { ecs } = motoClients()
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
    const aas = new ApplicationAutoScalingClient(motoClientConfig(motoEndpoint()))
    const scheduler = new SchedulerClient(motoClientConfig(motoEndpoint()))
    onTestFinished(() => {
      elb.destroy()
      aas.destroy()
      scheduler.destroy()
    })
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

    // 3 autoscaled services with a policy each; 2 schedules of one family in the space's group.
    for (const name of ['svc-00', 'svc-01', 'lbsvc-0']) {
      const ids = { ServiceNamespace: 'ecs', ResourceId: `service/wide/${name}`, ScalableDimension: 'ecs:service:DesiredCount' } as const
      await aas.send(new RegisterScalableTargetCommand({ ...ids, MinCapacity: 1, MaxCapacity: 3 }))
      await aas.send(
        new PutScalingPolicyCommand({
          ...ids,
          PolicyName: 'spinup-cpu',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
        }),
      )
    }
    const group = `spinup.${TEST_ORG}.wide`
    await scheduler.send(new CreateScheduleGroupCommand({ Name: group, Tags: managedTags(TEST_ORG, 'wide').map((t) => ({ Key: t.key, Value: t.value })) }))
    for (const name of ['hourly', 'nightly']) {
      await scheduler.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: group,
          ScheduleExpression: name === 'hourly' ? 'rate(1 hour)' : 'cron(0 3 * * ? *)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: `arn:aws:ecs:${MOTO_REGION}:123456789012:cluster/wide`,
            RoleArn: 'arn:aws:iam::123456789012:role/wide-ecsScheduler',
            EcsParameters: { TaskDefinitionArn: `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/lbsvc-0:1` },
          },
        }),
      )
    }

    const app = await buildTestApp()
    const rounds = new CallRounds()
    const clients = app.accounts.get('main')!.clients
    for (const client of [clients.ecs, clients.elbv2, clients.tagging, clients.applicationAutoScaling, clients.scheduler]) rounds.attach(client)
    const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces/wide', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json().Services).toHaveLength(20)
    expect(res.json().Services[5].Containers).toEqual([{ Name: 'web', Image: 'nginx:alpine', RunningDigests: [] }])

    const body = res.json()
    expect(body.Services.filter((s: { Autoscaling?: unknown }) => s.Autoscaling).map((s: { ServiceName: string }) => s.ServiceName)).toEqual(['lbsvc-0', 'svc-00', 'svc-01'])
    expect(body.Services[0].Autoscaling).toEqual({ Min: 1, Max: 3, Targets: { Cpu: 50 } })
    const lbFamily = body.TaskDefinitionFamilies.find((f: { Family: string }) => f.Family === 'lbsvc-0')
    expect(lbFamily.Schedules.map((s: { Name: string }) => s.Name)).toEqual(['hourly', 'nightly'])

    const count = (round: string[], op: string) => round.filter((c) => c === op).length
    expect(rounds.rounds).toHaveLength(4)
    const [first, second, third, fourth] = rounds.rounds as [string[], string[], string[], string[]]
    expect(first).toEqual(['DescribeClusters', 'GetResources', 'ListServices', 'ListTasks', 'ListTasks'])
    // 20 services: 2 batches of 10; 45 tasks: one batch of 100.
    expect(second).toEqual(['DescribeServices', 'DescribeServices', 'DescribeTasks'])
    // One revision per service, one health call per target group, all in one round; beside them the
    // sections' first calls: the scalable targets of all 20 services at once, the schedule group, its schedules.
    expect(count(third, 'DescribeTaskDefinition')).toBe(20)
    expect(count(third, 'DescribeTargetHealth')).toBe(5)
    expect(count(third, 'DescribeScalableTargets')).toBe(1)
    expect(count(third, 'GetScheduleGroup')).toBe(1)
    expect(count(third, 'ListSchedules')).toBe(1)
    expect(third).toHaveLength(28)
    // The sections' second calls: policies of each autoscaled service, the group's tags, each schedule.
    expect(fourth).toEqual(['DescribeScalingPolicies', 'DescribeScalingPolicies', 'DescribeScalingPolicies', 'GetSchedule', 'GetSchedule', 'ListTagsForResource'])
    expect(res.json().TaskDefinitionFamilies).toHaveLength(20)
  })
})

/**
 * Seeding and reading moto for the autoscaling route tests: services (behind an application load
 * balancer's target group or not) and what Application Auto Scaling holds for a service, read with
 * moto's own answers.
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-application-auto-scaling'
import { CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { authHeaders, TEST_ORG } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint } from '../harness/index.js'
import { ensureCluster, managedTags } from './services-fixtures.js'

export const DIMENSION = 'ecs:service:DesiredCount'

export function scalingClients() {
  const cfg = () => motoClientConfig(motoEndpoint())
  const clients = { ecs: new ECSClient(cfg()), elb: new ElasticLoadBalancingV2Client(cfg()), aas: new ApplicationAutoScalingClient(cfg()) }
  onTestFinished(() => {
    for (const c of Object.values(clients)) c.destroy()
  })
  return clients
}

export type ScalingClients = ReturnType<typeof scalingClients>

/** The org's (or `org`'s) service `name` in `cluster`, optionally behind `targetGroupArn`; desired count 2. */
export async function seedScalableService(
  c: ScalingClients,
  cluster: string,
  name: string,
  opts: { org?: string; targetGroupArn?: string } = {},
): Promise<void> {
  const org = opts.org ?? TEST_ORG
  await ensureCluster(c.ecs, cluster, org)
  const td = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-family`,
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'web', image: 'nginx:alpine', memoryReservation: 128, portMappings: [{ containerPort: 80 }] }],
      tags: managedTags(org, cluster),
    }),
  )
  const vpc = await defaultVpcResources(motoEndpoint())
  await c.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
      ...(opts.targetGroupArn ? { loadBalancers: [{ targetGroupArn: opts.targetGroupArn, containerName: 'web', containerPort: 80 }] } : {}),
      tags: managedTags(org, cluster),
    }),
  )
}

/**
 * An application load balancer forwarding to a target group, both tagged for `space` of `org`.
 * Answers the target group's ARN and the resource label ALBRequestCountPerTarget needs.
 */
export async function seedAlbTargetGroup(c: ScalingClients, space: string, org = TEST_ORG): Promise<{ targetGroupArn: string; label: string }> {
  const vpc = await defaultVpcResources(motoEndpoint())
  const tags = [
    { Key: 'spinup:org', Value: org },
    { Key: 'spinup:spaceid', Value: space },
  ]
  const lb = (await c.elb.send(new CreateLoadBalancerCommand({ Name: `${space}-alb`, Subnets: vpc.subnets.slice(0, 2), Type: 'application', Tags: tags })))
    .LoadBalancers![0]!.LoadBalancerArn!
  const tg = (
    await c.elb.send(new CreateTargetGroupCommand({ Name: `${space}-tg`, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: tags }))
  ).TargetGroups![0]!.TargetGroupArn!
  await c.elb.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }))
  const label = `${/:loadbalancer\/(.+)$/.exec(lb)![1]!}/${/:(targetgroup\/.+)$/.exec(tg)![1]!}`
  return { targetGroupArn: tg, label }
}

/** What moto holds for one service, in a form to compare: policies and actions by name, no ARNs or times. */
export interface ScalingSnapshot {
  target: { min: number | undefined; max: number | undefined } | null
  policies: Record<string, { type: string | undefined; metric: string | undefined; label: string | undefined; value: number | undefined; scaleIn: number | undefined; scaleOut: number | undefined }>
  actions: Record<string, { schedule: string | undefined; timezone: string | undefined; min: number | undefined; max: number | undefined }>
}

export async function scalingSnapshot(c: ScalingClients, resourceId: string): Promise<ScalingSnapshot> {
  const [targets, policies, actions] = await Promise.all([
    c.aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId], ScalableDimension: DIMENSION })),
    c.aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId })),
    c.aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId })),
  ])
  const target = targets.ScalableTargets?.find((t) => t.ResourceId === resourceId)
  return {
    target: target ? { min: target.MinCapacity, max: target.MaxCapacity } : null,
    policies: Object.fromEntries(
      (policies.ScalingPolicies ?? [])
        .filter((p) => p.ResourceId === resourceId)
        .map((p) => {
          const config = p.TargetTrackingScalingPolicyConfiguration
          return [
            p.PolicyName!,
            {
              type: p.PolicyType,
              metric: config?.PredefinedMetricSpecification?.PredefinedMetricType,
              label: config?.PredefinedMetricSpecification?.ResourceLabel,
              value: config?.TargetValue,
              scaleIn: config?.ScaleInCooldown,
              scaleOut: config?.ScaleOutCooldown,
            },
          ]
        }),
    ),
    actions: Object.fromEntries(
      (actions.ScheduledActions ?? [])
        .filter((a) => a.ResourceId === resourceId)
        .map((a) => [
          a.ScheduledActionName!,
          { schedule: a.Schedule, timezone: a.Timezone, min: a.ScalableTargetAction?.MinCapacity, max: a.ScalableTargetAction?.MaxCapacity },
        ]),
    ),
  }
}

export const NOTHING: ScalingSnapshot = { target: null, policies: {}, actions: {} }

export const autoscalingUrl = (service = 'web', cluster = 'space1', account = 'main') =>
  `/v1/ecs/${account}/clusters/${cluster}/services/${service}/autoscaling`

export function putSetting(app: FastifyInstance, body: unknown, url = autoscalingUrl()) {
  return app.inject({ method: 'PUT', url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
}

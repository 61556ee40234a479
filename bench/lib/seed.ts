/**
 * Puts the state the read figures need straight into moto (not through the proxy, so setup costs
 * neither the added latency nor a place in the call counts). Everything is tagged the way the API
 * tags what it creates, so the org checks of the routes accept it.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Tag as EcsTag,
} from '@aws-sdk/client-ecs'
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type Action,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateRegistryCommand,
  GetOperationCommand,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery'
import { type DefaultVpcResources, motoClientConfig } from '../../test/harness/moto.js'
import { BENCH_ORG, BENCH_REGION } from './api-process.js'

export interface MotoClients {
  ecs: ECSClient
  secrets: SecretsManagerClient
  logs: CloudWatchLogsClient
  elbv2: ElasticLoadBalancingV2Client
  cloudMap: ServiceDiscoveryClient
  destroy(): void
}

export function motoClients(endpoint: string): MotoClients {
  const cfg = motoClientConfig(endpoint, undefined, BENCH_REGION)
  const clients = {
    ecs: new ECSClient(cfg),
    secrets: new SecretsManagerClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    elbv2: new ElasticLoadBalancingV2Client(cfg),
    cloudMap: new ServiceDiscoveryClient(cfg),
  }
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) }
}

/** The tags of a managed resource of `space`, as the API's create flows write them. */
export function spaceTags(space: string, flavor: 'service' | 'task'): { Key: string; Value: string }[] {
  return [
    { Key: 'spinup:org', Value: BENCH_ORG },
    { Key: 'spinup:spaceid', Value: space },
    { Key: 'spinup:type', Value: 'container' },
    { Key: 'spinup:flavor', Value: flavor },
  ]
}

const ecsTags = (tags: { Key: string; Value: string }[]): EcsTag[] => tags.map((t) => ({ key: t.Key, value: t.Value }))

/** Secrets of our org named `<prefix>000`, `<prefix>001`, ...; returns their names. */
export async function seedSecrets(aws: MotoClients, prefix: string, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`)
  for (const name of names) {
    await aws.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'bench', Tags: [{ Key: 'spinup:org', Value: BENCH_ORG }] }))
  }
  return names
}

/** A private DNS namespace in the default VPC (moto allows one per VPC); returns its id. */
export async function seedNamespace(aws: MotoClients, vpcId: string, name: string): Promise<string> {
  const op = await aws.cloudMap.send(new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: vpcId }))
  const got = await aws.cloudMap.send(new GetOperationCommand({ OperationId: op.OperationId }))
  const id = got.Operation?.Targets?.NAMESPACE
  if (!id) throw new Error('moto returned no namespace id')
  return id
}

export interface SeededSpace {
  cluster: string
  clusterArn: string
  family: string
  taskDefinitionArn: string
  services: string[]
  /** Cloud Map service ARN of each service, when registries were asked for. */
  registries: string[]
}

/** The container the seeded task definitions run; moto's RunTask needs `memory` on it. */
export const SEED_CONTAINER = 'web'

/**
 * A cluster `space` with one managed task definition (family = `space`, awslogs to group `space`
 * with stream prefix = family) and `services` services running it, all tagged for our org.
 */
export async function seedSpace(
  aws: MotoClients,
  vpc: DefaultVpcResources,
  space: string,
  services: number,
  registryNamespaceId?: string,
): Promise<SeededSpace> {
  const tags = spaceTags(space, 'service')
  const cluster = await aws.ecs.send(new CreateClusterCommand({ clusterName: space, tags: ecsTags(tags) }))
  const td = await aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: space,
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: SEED_CONTAINER,
          image: 'nginx:alpine',
          memory: 512,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': space, 'awslogs-region': BENCH_REGION, 'awslogs-stream-prefix': space },
          },
        },
      ],
      tags: ecsTags(tags),
    }),
  )
  const taskDefinitionArn = td.taskDefinition!.taskDefinitionArn!
  const names: string[] = []
  const registries: string[] = []
  for (let i = 0; i < services; i++) {
    const name = services === 1 ? space : `${space}-${String(i).padStart(3, '0')}`
    let registryArn: string | undefined
    if (registryNamespaceId) {
      const reg = await aws.cloudMap.send(
        new CreateRegistryCommand({ Name: name, DnsConfig: { NamespaceId: registryNamespaceId, DnsRecords: [{ Type: 'A', TTL: 30 }] } }),
      )
      registryArn = reg.Service!.Arn!
      registries.push(registryArn)
    }
    await aws.ecs.send(
      new CreateServiceCommand({
        cluster: space,
        serviceName: name,
        taskDefinition: taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 2), securityGroups: vpc.securityGroups.slice(0, 1) } },
        ...(registryArn ? { serviceRegistries: [{ registryArn }] } : {}),
        propagateTags: 'SERVICE',
        tags: ecsTags(tags),
      }),
    )
    names.push(name)
  }
  return { cluster: space, clusterArn: cluster.cluster!.clusterArn!, family: space, taskDefinitionArn, services: names, registries }
}

/**
 * A task of `service` (moto services start none): started as the ECS service scheduler starts them
 * (`group: service:<name>`), so a route that checks a task belongs to its service accepts it.
 * Returns the task id.
 */
export async function seedServiceTask(aws: MotoClients, vpc: DefaultVpcResources, space: SeededSpace, service: string): Promise<string> {
  const out = await aws.ecs.send(
    new RunTaskCommand({
      cluster: space.cluster,
      taskDefinition: space.taskDefinitionArn,
      launchType: 'FARGATE',
      group: `service:${service}`,
      startedBy: `ecs-svc/${service}`,
      networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
      tags: ecsTags(spaceTags(space.cluster, 'service')),
    }),
  )
  const arn = out.tasks?.[0]?.taskArn
  if (!arn) throw new Error(`moto ran no task: ${JSON.stringify(out.failures)}`)
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/**
 * `count` log events in `group`/`stream`, each `bytes` long, timestamps one ms apart ending now.
 * PutLogEvents takes at most 10,000 events or 1 MiB per call, so they go in batches.
 */
export async function seedLogEvents(aws: MotoClients, group: string, stream: string, count: number, bytes: number): Promise<number> {
  try {
    await aws.logs.send(new CreateLogGroupCommand({ logGroupName: group }))
  } catch (err) {
    if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err
  }
  await aws.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
  const now = Date.now()
  const filler = 'x'.repeat(Math.max(0, bytes - 40))
  let total = 0
  for (let from = 0; from < count; from += 2000) {
    const batch = Array.from({ length: Math.min(2000, count - from) }, (_, j) => {
      const i = from + j
      const message = `${new Date(now - count + i).toISOString()} event ${String(i).padStart(5, '0')} ${filler}`
      total += message.length
      return { timestamp: now - count + i, message }
    })
    await aws.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch }))
  }
  return total
}

export interface SeededLbs {
  loadBalancers: string[]
  targetGroups: string[]
  rules: number
}

/**
 * `lbs` application load balancers x `listeners` listeners x `rulesPerListener` rules (the
 * default rule included) in the default VPC, every rule forwarding to one of `targetGroups`
 * target groups (each with two registered targets), so rules share target groups. Load balancers
 * and target groups carry our org and `space` tags.
 */
export async function seedLoadBalancers(
  aws: MotoClients,
  vpc: DefaultVpcResources,
  space: string,
  shape: { lbs: number; listeners: number; rulesPerListener: number; targetGroups: number },
): Promise<SeededLbs> {
  const tags = [
    { Key: 'spinup:org', Value: BENCH_ORG },
    { Key: 'spinup:spaceid', Value: space },
  ]
  const tgs: string[] = []
  for (let t = 0; t < shape.targetGroups; t++) {
    const tg = await aws.elbv2.send(
      new CreateTargetGroupCommand({ Name: `${space}-tg${t}`, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: tags }),
    )
    const arn = tg.TargetGroups![0]!.TargetGroupArn!
    await aws.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: `172.31.0.${10 + t}`, Port: 80 }, { Id: `172.31.16.${10 + t}`, Port: 80 }] }))
    tgs.push(arn)
  }
  const forward = (i: number): Action[] => [{ Type: 'forward', TargetGroupArn: tgs[i % tgs.length]! }]
  const lbs: string[] = []
  let rules = 0
  for (let l = 0; l < shape.lbs; l++) {
    const lb = await aws.elbv2.send(
      new CreateLoadBalancerCommand({ Name: `${space}-lb${l}`, Subnets: vpc.subnets.slice(0, 2), SecurityGroups: vpc.securityGroups.slice(0, 1), Type: 'application', Tags: tags }),
    )
    const lbArn = lb.LoadBalancers![0]!.LoadBalancerArn!
    lbs.push(lbArn)
    for (let k = 0; k < shape.listeners; k++) {
      const listener = await aws.elbv2.send(
        new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80 + k * 8000, DefaultActions: forward(l + k) }),
      )
      rules++
      const listenerArn = listener.Listeners![0]!.ListenerArn!
      for (let r = 1; r < shape.rulesPerListener; r++) {
        const conditions: RuleCondition[] =
          r % 2 === 0
            ? [{ Field: 'host-header', HostHeaderConfig: { Values: [`app${r}.${space}.example.org`] } }]
            : [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/api/v${r}/*`] } }]
        await aws.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: r, Conditions: conditions, Actions: forward(l + k + r) }))
        rules++
      }
    }
  }
  return { loadBalancers: lbs, targetGroups: tgs, rules }
}

let namespace: Promise<string> | undefined
/** The run's one private DNS namespace (moto allows one per VPC), created on first use. */
export function sharedNamespace(aws: MotoClients, vpc: DefaultVpcResources): Promise<string> {
  namespace ??= seedNamespace(aws, vpc.vpcId, 'bench.local')
  return namespace
}

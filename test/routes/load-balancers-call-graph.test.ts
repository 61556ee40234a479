import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

/** The shape of the load-balancer summary's call graph, released round by round (see CallRounds). */

useMotoReset()

/** `Operation name...`, naming the load balancers and target groups in a call's ARNs. */
function label(operation: string, input: unknown): string {
  const names = Object.values(input as Record<string, unknown>)
    .flat()
    .flatMap((v) => (typeof v === 'string' ? [/:(?:loadbalancer|listener)\/\w+\/([^/]+)\/|:targetgroup\/([^/]+)\//.exec(v)] : []))
    .flatMap((m) => (m ? [m[1] ?? m[2]!] : []))
  return [operation, ...names.sort()].join(' ')
}

const tags = (space: string) => [
  { Key: 'spinup:org', Value: TEST_ORG },
  { Key: 'spinup:spaceid', Value: space },
]
const forward = (arn: string): Action[] => [{ Type: 'forward', TargetGroupArn: arn }]

/**
 * Space `graph`: alb-1 forwards to web and api, alb-2 to `shared`, a target group tagged for another
 * space when `sharedSpace` says so.
 */
async function seed(sharedSpace: string): Promise<{ shared: string }> {
  const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
  onTestFinished(() => elb.destroy())
  const vpc = await defaultVpcResources(motoEndpoint())
  const tg = async (name: string, space: string) => {
    const out = await elb.send(
      new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: tags(space) }),
    )
    const arn = out.TargetGroups![0]!.TargetGroupArn!
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '172.31.0.10', Port: 80 }] }))
    return arn
  }
  const lbListener = async (name: string, defaultArn: string) => {
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: vpc.subnets.slice(0, 2), Tags: tags('graph') }))
    const out = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: forward(defaultArn),
      }),
    )
    return out.Listeners![0]!.ListenerArn!
  }
  const [web, api, shared] = [await tg('web', 'graph'), await tg('api', 'graph'), await tg('shared', sharedSpace)]
  const listener = await lbListener('alb-1', web)
  await elb.send(
    new CreateRuleCommand({
      ListenerArn: listener,
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
      Actions: forward(api),
    }),
  )
  await lbListener('alb-2', shared)
  return { shared }
}

async function summaryInRounds(app: FastifyInstance): Promise<{ rounds: string[][]; body: unknown }> {
  const rounds = new CallRounds()
  const clients = app.accounts.get('main')!.clients
  rounds.attach(clients.tagging, label)
  rounds.attach(clients.elbv2, label)
  const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/lbs/graph', headers: authHeaders })
  expect(res.statusCode).toBe(200)
  return { rounds: rounds.rounds, body: res.json() }
}

describe('GET /v1/ecs/{account}/lbs/{space}, its calls released round by round', () => {
  it('describes and health-checks the tagged target groups beside the rules: 3 calls deep', async () => {
    await seed('graph')
    const { rounds, body } = await summaryInRounds(await buildTestApp())
    expect(rounds).toEqual([
      ['GetResources'],
      [
        'DescribeListeners alb-1',
        'DescribeListeners alb-2',
        'DescribeLoadBalancers alb-1 alb-2',
        'DescribeTargetGroups api shared web',
      ],
      [
        'DescribeRules alb-1',
        'DescribeRules alb-2',
        'DescribeTargetHealth api',
        'DescribeTargetHealth shared',
        'DescribeTargetHealth web',
      ],
    ])
    const groups = JSON.stringify(body).match(/"TargetGroupName":"\w+"/g)
    expect(groups).toEqual(['"TargetGroupName":"api"', '"TargetGroupName":"web"', '"TargetGroupName":"shared"'])
  })

  it('describes a target group of another space only after the rules name it, both calls side by side: 4 calls deep', async () => {
    const { shared } = await seed('elsewhere')
    const { rounds, body } = await summaryInRounds(await buildTestApp())
    expect(rounds).toEqual([
      ['GetResources'],
      ['DescribeListeners alb-1', 'DescribeListeners alb-2', 'DescribeLoadBalancers alb-1 alb-2', 'DescribeTargetGroups api web'],
      ['DescribeRules alb-1', 'DescribeRules alb-2', 'DescribeTargetHealth api', 'DescribeTargetHealth web'],
      ['DescribeTargetGroups shared', 'DescribeTargetHealth shared'],
    ])
    const alb2 = (body as Array<{ Listeners: Array<{ Rules: Array<{ Then: string; TargetGroups?: unknown[] }> }> }>)[1]!
    expect(alb2.Listeners[0]!.Rules).toEqual([
      expect.objectContaining({
        Then: 'forward to shared',
        TargetGroups: [
          {
            TargetGroupArn: shared,
            TargetGroupName: 'shared',
            TargetType: 'ip',
            Targets: [{ Id: '172.31.0.10', Port: '80', State: 'healthy', Reason: '' }],
          },
        ],
      }),
    ])
  })
})

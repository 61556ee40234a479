import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { AccountRegistry } from '../../../src/aws/account-clients.js'
import { elbv2Api } from '../../../src/aws/elbv2.js'
import type { Tagging } from '../../../src/aws/tagging.js'
import { spaceSummary } from '../../../src/domain/load-balancers/space-summary.js'
import { spaceTargetGroups } from '../../../src/domain/load-balancers/target-group-map.js'
import { buildTestApp, TEST_ORG } from '../../harness/app.js'
import { defaultVpcResources, motoEndpoint, useMotoReset } from '../../harness/index.js'

/**
 * The tagging index lags behind deletions in AWS, so it may list a load balancer or target group
 * that no longer exists. moto's index does not lag, so the tagging side is a stub here; ELBv2 is
 * moto, which refuses a whole batch naming one unknown ARN, as AWS does.
 */

useMotoReset()

const tags = { 'spinup:org': TEST_ORG, 'spinup:spaceid': 'stale' }

function staleTagging(byType: Record<string, string[]>): Tagging {
  return {
    getResources: async (q) => (q.resourceTypes ?? []).flatMap((type) => byType[type] ?? []).map((arn) => ({ arn, tags })),
    tagResources: async () => [],
  }
}

/** ELBv2 calls by `operation outcome`. */
async function elbv2Calls(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    if (v.labels.service === 'ELBv2') out[`${String(v.labels.operation)} ${String(v.labels.outcome)}`] = v.value
  }
  return out
}

describe('a tagging index that still lists deleted resources', () => {
  it('leaves the deleted ones out instead of failing the answer', async () => {
    const app = await buildTestApp()
    const elb = app.accounts.get('main')!.clients.elbv2
    const vpc = await defaultVpcResources(motoEndpoint())
    const tg = async (name: string) =>
      (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpc.vpcId, TargetType: 'ip' })))
        .TargetGroups![0]!.TargetGroupArn!
    const lb = async (name: string) =>
      (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: vpc.subnets.slice(0, 2) }))).LoadBalancers![0]!
        .LoadBalancerArn!
    const [web, gone, api] = [await tg('web'), await tg('gone'), await tg('api')]
    const [alive, deleted] = [await lb('alive'), await lb('deleted')]
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: gone }))
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: deleted }))
    app.metrics.awsCalls.reset()

    const ctx = {
      tagging: staleTagging({
        'elasticloadbalancing:targetgroup': [web, gone, api],
        'elasticloadbalancing:loadbalancer': [deleted, alive],
      }),
      elbv2: elbv2Api(elb),
      org: TEST_ORG,
    }
    expect(await spaceTargetGroups(ctx, 'stale')).toEqual({ api, web })
    // One refused batch, then one call per ARN of it.
    expect(await elbv2Calls(app)).toEqual({
      'DescribeTargetGroups TargetGroupNotFoundException': 2,
      'DescribeTargetGroups ok': 2,
    })

    app.metrics.awsCalls.reset()
    const summary = await spaceSummary(ctx, 'stale')
    expect(summary.map((s) => s.LoadBalancerName)).toEqual(['alive'])
    expect(summary[0]!.Listeners).toEqual([])
    // Listeners are asked of every tagged load balancer, beside its description; the deleted target
    // group is never health-checked.
    expect(await elbv2Calls(app)).toEqual({
      'DescribeLoadBalancers LoadBalancerNotFoundException': 2,
      'DescribeLoadBalancers ok': 1,
      'DescribeListeners LoadBalancerNotFoundException': 1,
      'DescribeListeners ok': 1,
      'DescribeTargetGroups TargetGroupNotFoundException': 2,
      'DescribeTargetGroups ok': 2,
      'DescribeTargetHealth ok': 2,
    })
  })

  it('still fails when AWS does not answer, rather than reporting an empty space', async () => {
    const registry = new AccountRegistry(
      new Map([['down', { region: 'us-east-1', akid: 'a', secret: 'b', endpoint: 'http://127.0.0.1:9' }]]),
    )
    onTestFinished(() => registry.destroy())
    const ctx = {
      tagging: staleTagging({ 'elasticloadbalancing:targetgroup': ['arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1'] }),
      elbv2: elbv2Api(registry.get('down')!.clients.elbv2),
      org: TEST_ORG,
    }
    await expect(spaceTargetGroups(ctx, 'stale')).rejects.toMatchObject({ code: 'ServiceUnavailable' })
  })
})

import { describe, expect, it } from 'vitest'
import type { Elbv2 } from '../../../src/aws/elbv2.js'
import type { Tagging, TaggedResource } from '../../../src/aws/tagging.js'
import { spaceSummary } from '../../../src/domain/load-balancers/space-summary.js'

/**
 * The assembly with fake adapters, for what moto never answers: target health with reasons and
 * descriptions, a rule forwarding to a target group that is gone, and a tagging backend that
 * ignores its filters.
 */

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1'
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/1/2'
const TG = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/3`

function taggingOf(resources: TaggedResource[]): Tagging {
  return { getResources: async () => resources, tagResources: async () => [] }
}

const fakeElbv2: Elbv2 = {
  describeLoadBalancers: async (arns) =>
    arns.map((arn) => ({ LoadBalancerArn: arn, LoadBalancerName: 'alb', Type: 'application', DNSName: 'alb.example' })),
  describeListeners: async () => [{ ListenerArn: LISTENER, Protocol: 'HTTP', Port: 80 }],
  describeRules: async () => [
    { RuleArn: 'r-default', IsDefault: true, Actions: [{ Type: 'forward', TargetGroupArn: TG('web') }] },
    { RuleArn: 'r-gone', Priority: '5', Conditions: [{ Field: 'path-pattern', Values: ['/old'] }], Actions: [{ Type: 'forward', TargetGroupArn: TG('gone') }] },
  ],
  // The `gone` target group was deleted after the rule was read.
  describeTargetGroups: async (arns) =>
    arns.filter((a) => a === TG('web')).map((a) => ({ TargetGroupArn: a, TargetGroupName: 'web', TargetType: 'instance' })),
  describeTargetHealth: async () => [
    { Target: { Id: 'i-1', Port: 80 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' } },
    { Target: { Id: 'i-2', Port: 80 }, TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' } },
    { Target: { Id: 'i-3' }, TargetHealth: { State: 'draining', Description: 'Target deregistration is in progress' } },
    {},
  ],
}

const ours = { 'spinup:org': 'testorg', 'spinup:spaceid': 's' }

describe('spaceSummary with fake adapters', () => {
  it('writes target reasons with their descriptions, and names a vanished target group from its ARN', async () => {
    const summary = await spaceSummary(
      { tagging: taggingOf([{ arn: LB, tags: ours }]), elbv2: fakeElbv2, org: 'testorg' },
      's',
    )
    const rules = summary[0]!.Listeners[0]!.Rules
    expect(rules.map((r) => [r.RuleArn, r.If, r.Then])).toEqual([
      ['r-gone', 'path-pattern: /old', 'forward to gone'],
      ['r-default', 'Default', 'forward to web'],
    ])
    expect(rules[0]).not.toHaveProperty('TargetGroups')
    expect(rules[1]!.TargetGroups![0]!.Targets).toEqual([
      { Id: 'i-1', Port: '80', State: 'unhealthy', Reason: 'Target.Timeout (Request timed out)' },
      { Id: 'i-2', Port: '80', State: 'unused', Reason: 'Target.NotInUse' },
      { Id: 'i-3', Port: '', State: 'draining', Reason: '(Target deregistration is in progress)' },
      { Id: '', Port: '', State: '', Reason: '' },
    ])
  })

  it('leaves out resources whose tags name another org or space, even when the backend returns them', async () => {
    const summary = await spaceSummary(
      {
        tagging: taggingOf([
          { arn: `${LB}-theirs`, tags: { ...ours, 'spinup:org': 'otherorg' } },
          { arn: `${LB}-elsewhere`, tags: { ...ours, 'spinup:spaceid': 'other' } },
          { arn: `${LB}-untagged`, tags: {} },
        ]),
        elbv2: fakeElbv2,
        org: 'testorg',
      },
      's',
    )
    expect(summary).toEqual([])
  })
})

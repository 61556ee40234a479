import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '../../aws/elbv2.js'
import { mapWithConcurrency } from '../concurrency.js'
import type { LoadBalancerContext } from './context.js'
import { byPriority, ifText, nameInArn, ruleTargetGroupArns, thenText } from './rule-text.js'
import { spaceResourceArns } from './space-resources.js'
import type { ListenerSummary, LoadBalancerSummary, RuleSummary, TargetGroupSummary, TargetSummary } from './types.js'

/**
 * The load balancers of a space with their listeners, rules and target groups with target health.
 *
 * The calls go stage by stage, each stage's calls with bounded concurrency, so the number of calls
 * grows with the number of load balancers, listeners and distinct target groups, never with the
 * number of rules that forward to the same target group:
 * tagging (all pages), DescribeLoadBalancers per 20, DescribeListeners per load balancer,
 * DescribeRules per listener, DescribeTargetGroups per 20 distinct target groups, and
 * DescribeTargetHealth once per target group.
 */
export async function spaceSummary(ctx: LoadBalancerContext, space: string): Promise<LoadBalancerSummary[]> {
  const { elbv2 } = ctx
  // Step 1: the space's load balancers, found by their tags, described in batches.
  const arns = await spaceResourceArns(ctx.tagging, ctx.org, space, 'elasticloadbalancing:loadbalancer')
  if (arns.length === 0) return []
  const loadBalancers = (await elbv2.describeLoadBalancers(arns)).sort((a, b) =>
    (a.LoadBalancerName ?? '').localeCompare(b.LoadBalancerName ?? ''),
  )

  // Step 2: the listeners of every load balancer.
  const listenersOf = await mapWithConcurrency(loadBalancers, (lb) => elbv2.describeListeners(lb.LoadBalancerArn ?? ''))

  // Step 3: the rules of every listener, as one flat fan-out rather than one per load balancer.
  const listeners = listenersOf.flat()
  const rules = await mapWithConcurrency(listeners, (l) => elbv2.describeRules(l.ListenerArn ?? ''))
  const rulesOf = new Map(listeners.map((l, i) => [l, (rules[i] ?? []).sort(byPriority)]))

  // Step 4: every target group some rule forwards to, described and health-checked once.
  const tgArns = [...new Set(rules.flat().flatMap(ruleTargetGroupArns))]
  const targetGroups = await describeWithHealth(ctx, tgArns)
  const nameOf = (arn: string) => targetGroups.get(arn)?.TargetGroupName ?? nameInArn(arn)

  // Step 5: assemble.
  const ruleSummary = (rule: Rule): RuleSummary => {
    const groups = ruleTargetGroupArns(rule).flatMap((arn) => targetGroups.get(arn) ?? [])
    return {
      RuleArn: rule.RuleArn ?? '',
      If: ifText(rule),
      Then: thenText(rule, nameOf),
      ...(groups.length > 0 ? { TargetGroups: groups } : {}),
    }
  }
  const listenerSummary = (l: Listener): ListenerSummary => ({
    ListenerArn: l.ListenerArn ?? '',
    ListenerName: `${l.Protocol ?? ''}:${l.Port ?? ''}`,
    ...(l.SslPolicy && TLS_PROTOCOLS.has(l.Protocol ?? '') ? { SslPolicy: l.SslPolicy } : {}),
    Rules: (rulesOf.get(l) ?? []).map(ruleSummary),
  })
  return loadBalancers.map((lb: LoadBalancer, i): LoadBalancerSummary => ({
    LoadBalancerArn: lb.LoadBalancerArn ?? '',
    LoadBalancerName: lb.LoadBalancerName ?? '',
    LoadBalancerType: lb.Type ?? '',
    DNSName: lb.DNSName ?? '',
    Listeners: [...(listenersOf[i] ?? [])].sort(byPort).map(listenerSummary),
  }))
}

/**
 * Only TLS listeners negotiate with an SSL policy; a policy reported on a plain HTTP or TCP listener
 * (moto sets a default on every listener) means nothing, so it is not shown.
 */
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS'])

/** Listeners by port, then protocol: the order people read them in (HTTP:80 before HTTPS:443). */
function byPort(a: Listener, b: Listener): number {
  return (a.Port ?? 0) - (b.Port ?? 0) || (a.Protocol ?? '').localeCompare(b.Protocol ?? '')
}

/** Target groups by ARN with their targets; ones that are gone are absent. */
async function describeWithHealth(
  { elbv2 }: LoadBalancerContext,
  arns: readonly string[],
): Promise<Map<string, TargetGroupSummary>> {
  if (arns.length === 0) return new Map()
  const groups = await elbv2.describeTargetGroups(arns)
  const health = await mapWithConcurrency(groups, (tg) => elbv2.describeTargetHealth(tg.TargetGroupArn ?? ''))
  return new Map(groups.map((tg: TargetGroup, i) => [tg.TargetGroupArn ?? '', targetGroupSummary(tg, health[i] ?? [])]))
}

function targetGroupSummary(tg: TargetGroup, health: readonly TargetHealthDescription[]): TargetGroupSummary {
  return {
    TargetGroupArn: tg.TargetGroupArn ?? '',
    TargetGroupName: tg.TargetGroupName ?? '',
    TargetType: tg.TargetType ?? '',
    Targets: health.map(targetSummary),
  }
}

function targetSummary(h: TargetHealthDescription): TargetSummary {
  const reason = h.TargetHealth?.Reason ?? ''
  const description = h.TargetHealth?.Description
  return {
    Id: h.Target?.Id ?? '',
    Port: h.Target?.Port === undefined ? '' : String(h.Target.Port),
    State: h.TargetHealth?.State ?? '',
    Reason: [reason, description ? `(${description})` : ''].filter(Boolean).join(' '),
  }
}

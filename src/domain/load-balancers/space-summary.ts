import type { Elbv2, Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '../../aws/elbv2.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import type { LoadBalancerContext } from './context.js'
import { byPriority, ifText, nameInArn, ruleTargetGroupArns, thenText } from '../../codec/elb-rule-text.js'
import { LOAD_BALANCER, spaceResourceArns, TARGET_GROUP } from '../../aws/space-resources.js'
import type { ListenerSummary, LoadBalancerSummary, RuleSummary, TargetGroupSummary, TargetSummary } from '../../codec/lb-summary.js'

/**
 * The load balancers of a space with their listeners, rules and target groups with target health.
 *
 * Every call starts as soon as the ARNs it needs are known, so at most 4 calls wait for each other
 * (3 when every target group the rules forward to is tagged for the space):
 *
 *     GetResources ─┬─ DescribeLoadBalancers
 *                   ├─ DescribeListeners ─── DescribeRules ─── [DescribeTargetGroups + DescribeTargetHealth
 *                   │                                            of untagged groups the rules forward to]
 *                   └─ DescribeTargetGroups ─ DescribeTargetHealth   (the space's tagged groups)
 *
 * The number of calls grows with the number of load balancers, listeners and distinct target
 * groups, never with the number of rules that forward to the same target group: tagging (all
 * pages), DescribeLoadBalancers and DescribeTargetGroups per 20 ARNs, DescribeListeners per load
 * balancer, DescribeRules per listener, DescribeTargetHealth once per target group. Each fan-out
 * keeps a bounded number of calls in flight; the branches above run side by side, each with its own
 * bound.
 */
export async function spaceSummary(ctx: LoadBalancerContext, space: string): Promise<LoadBalancerSummary[]> {
  const { elbv2 } = ctx
  // One tagging query finds both the space's load balancers and its target groups.
  const tagged = await spaceResourceArns(ctx.tagging, ctx.org, space, [LOAD_BALANCER, TARGET_GROUP])
  const lbArns = [...new Set(tagged[LOAD_BALANCER])]
  if (lbArns.length === 0) return []
  const taggedTgArns = new Set(tagged[TARGET_GROUP])

  // Started now, side by side: each needs only ARNs the tagging query gave. DescribeListeners takes
  // the load balancer's ARN, so it does not wait for DescribeLoadBalancers; a load balancer that is
  // gone has no listeners and is left out by DescribeLoadBalancers.
  const loadBalancersP = elbv2.describeLoadBalancers(lbArns)
  const listenersP = mapWithConcurrency(lbArns, (arn) => elbv2.describeListeners(arn)).then(
    (lists) => new Map(lbArns.map((arn, i) => [arn, lists[i] ?? []])),
  )
  // The target groups a space's rules forward to are normally its own, tagged like its load
  // balancers, so they are described without waiting for the rules. Their health comes right after
  // their description, still beside DescribeRules, so a group that is gone costs no health call. A
  // tagged group no rule forwards to costs a health call the answer does not use: the price of not
  // waiting for the rules.
  const taggedGroupsP = describeThenHealth(elbv2, [...taggedTgArns])

  // The rules of every listener, as one flat fan-out rather than one per load balancer.
  const rulesP = listenersP.then(async (listenersOf) => {
    const listeners = [...listenersOf.values()].flat()
    const rules = await mapWithConcurrency(listeners, (l) => elbv2.describeRules(l.ListenerArn ?? ''))
    return new Map(listeners.map((l, i) => [l, (rules[i] ?? []).sort(byPriority)]))
  })

  // Only the target groups the rules forward to that are not tagged for the space (another space's,
  // or untagged) have to wait for the rules; each is described and health-checked once.
  const untaggedGroupsP = rulesP.then((rulesOf) => {
    const forwardedTo = new Set([...rulesOf.values()].flat().flatMap(ruleTargetGroupArns))
    return describeWithHealth(elbv2, [...forwardedTo].filter((arn) => !taggedTgArns.has(arn)))
  })

  // One await for all, so a failing branch fails the answer without leaving another unhandled.
  const [described, listenersOf, rulesOf, taggedGroups, untaggedGroups] = await Promise.all([
    loadBalancersP,
    listenersP,
    rulesP,
    taggedGroupsP,
    untaggedGroupsP,
  ])
  const loadBalancers = described.sort((a, b) => (a.LoadBalancerName ?? '').localeCompare(b.LoadBalancerName ?? ''))
  const targetGroups = new Map([...taggedGroups, ...untaggedGroups])
  const nameOf = (arn: string) => targetGroups.get(arn)?.TargetGroupName ?? nameInArn(arn)

  // Assemble.
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
  return loadBalancers.map((lb: LoadBalancer): LoadBalancerSummary => ({
    LoadBalancerArn: lb.LoadBalancerArn ?? '',
    LoadBalancerName: lb.LoadBalancerName ?? '',
    LoadBalancerType: lb.Type ?? '',
    DNSName: lb.DNSName ?? '',
    Listeners: [...(listenersOf.get(lb.LoadBalancerArn ?? '') ?? [])].sort(byPort).map(listenerSummary),
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

/**
 * Target groups by ARN with their targets; ones that are gone are absent. Health is asked only of
 * the groups the description found.
 */
async function describeThenHealth(elbv2: Elbv2, arns: readonly string[]): Promise<Map<string, TargetGroupSummary>> {
  if (arns.length === 0) return new Map()
  const groups = await elbv2.describeTargetGroups(arns)
  const health = await mapWithConcurrency(groups, (tg) => elbv2.describeTargetHealth(tg.TargetGroupArn ?? ''))
  return new Map(groups.map((tg: TargetGroup, i) => [tg.TargetGroupArn ?? '', targetGroupSummary(tg, health[i] ?? [])]))
}

/**
 * As `describeThenHealth`, but health is asked side by side with the description, for the groups
 * found late, where waiting for the description would put a fifth call on the critical path. A group
 * that is gone answers no health and is left out with its description.
 */
async function describeWithHealth(elbv2: Elbv2, arns: readonly string[]): Promise<Map<string, TargetGroupSummary>> {
  if (arns.length === 0) return new Map()
  const [groups, health] = await Promise.all([
    elbv2.describeTargetGroups(arns),
    mapWithConcurrency(arns, (arn) => elbv2.describeTargetHealth(arn)),
  ])
  const healthOf = new Map(arns.map((arn, i) => [arn, health[i] ?? []]))
  return new Map(groups.map((tg) => [tg.TargetGroupArn ?? '', targetGroupSummary(tg, healthOf.get(tg.TargetGroupArn ?? '') ?? [])]))
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

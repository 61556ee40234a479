/**
 * What the load-balancer routes answer, in the original service's wire names (seed document,
 * `/lbs/{space}` example).
 */

export interface TargetSummary {
  Id: string
  /** A string on the wire, as the original sent it. */
  Port: string
  State: string
  /** `<reason>` or `<reason> (<description>)`; empty for a healthy target. */
  Reason: string
}

export interface TargetGroupSummary {
  TargetGroupArn: string
  TargetGroupName: string
  TargetType: string
  Targets: TargetSummary[]
}

export interface RuleSummary {
  RuleArn: string
  /** The rule's conditions as text: `Default`, `host-header: a.example.com or b.example.com`, ... */
  If: string
  /** The rule's actions as text: `forward to web`, `fixed response: status code 404`, ... */
  Then: string
  /** The target groups the rule forwards to; absent when it forwards nowhere. */
  TargetGroups?: TargetGroupSummary[]
}

export interface ListenerSummary {
  ListenerArn: string
  /** `<PROTOCOL>:<port>`, e.g. `HTTPS:443`. */
  ListenerName: string
  /** Absent for listeners without TLS. */
  SslPolicy?: string
  Rules: RuleSummary[]
}

export interface LoadBalancerSummary {
  LoadBalancerArn: string
  LoadBalancerName: string
  LoadBalancerType: string
  DNSName: string
  Listeners: ListenerSummary[]
}

/** Target group name to ARN. */
export type TargetGroupMap = Record<string, string>

import Type from 'typebox'
import { AccountParams, errorResponses } from './common.js'

/** A space is an ECS cluster, so its name follows ECS's cluster-name rule. */
const Space = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'the space (ECS cluster name)',
})

const problems = {
  ...errorResponses,
  403: Type.Ref('Problem'),
  429: Type.Ref('Problem'),
  502: Type.Ref('Problem'),
  503: Type.Ref('Problem'),
} as const

const TargetSchema = Type.Object({
  Id: Type.String(),
  Port: Type.String({ description: 'the port, as a string' }),
  State: Type.String(),
  Reason: Type.String({ description: '`<reason>` or `<reason> (<description>)`; empty when healthy' }),
})

const TargetGroupSchema = Type.Object({
  TargetGroupArn: Type.String(),
  TargetGroupName: Type.String(),
  TargetType: Type.String(),
  Targets: Type.Array(TargetSchema),
})

const RuleSchema = Type.Object({
  RuleArn: Type.String(),
  If: Type.String({ description: '`Default`, or the conditions, e.g. `host-header: a.example.com and path-pattern: /api/*`' }),
  Then: Type.String({ description: 'the actions, e.g. `forward to web`, `fixed response: status code 404`' }),
  TargetGroups: Type.Optional(Type.Array(TargetGroupSchema)),
})

const ListenerSchema = Type.Object({
  ListenerArn: Type.String(),
  ListenerName: Type.String({ description: '`<PROTOCOL>:<port>`' }),
  SslPolicy: Type.Optional(Type.String()),
  Rules: Type.Array(RuleSchema),
})

export const LoadBalancerSummarySchema = Type.Object({
  LoadBalancerArn: Type.String(),
  LoadBalancerName: Type.String(),
  LoadBalancerType: Type.String(),
  DNSName: Type.String(),
  Listeners: Type.Array(ListenerSchema),
})

/** GET /{account}/lbs?space={space} */
export const ListTargetGroupsSchema = {
  tags: ['load-balancers'],
  summary: 'The target groups of a space of our org: name to ARN',
  params: AccountParams,
  querystring: Type.Object({ space: Space }),
  response: {
    200: Type.Record(Type.String(), Type.String(), { description: 'target group name to ARN; `{}` when none' }),
    ...problems,
  },
}

/** GET /{account}/lbs/{space} */
export const SpaceLoadBalancersSchema = {
  tags: ['load-balancers'],
  summary: 'The load balancers of a space of our org, with listeners, rules, target groups and target health',
  params: Type.Object({ ...AccountParams.properties, space: Space }),
  response: { 200: Type.Array(LoadBalancerSummarySchema, { description: '`[]` when none' }), ...problems },
}

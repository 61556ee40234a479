import type { Action, Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'

/**
 * The `If` and `Then` texts of a listener rule, as the original service wrote them. Every config
 * block AWS may leave out (older rules carry only the legacy `Values`, a forward action may name
 * one `TargetGroupArn` and no `ForwardConfig`) is optional here: a rule is always described.
 */

/** The typed config `Values` of the fields whose values are shown; other fields show their name only. */
const valuesOf: Record<string, (c: RuleCondition) => readonly string[] | undefined> = {
  'host-header': (c) => joinDefined(c.HostHeaderConfig?.Values ?? c.Values, c.HostHeaderConfig?.RegexValues),
  'path-pattern': (c) => joinDefined(c.PathPatternConfig?.Values ?? c.Values, c.PathPatternConfig?.RegexValues),
  // The header's name is not shown, as in the original.
  'http-header': (c) => joinDefined(c.HttpHeaderConfig?.Values, c.HttpHeaderConfig?.RegexValues),
  'http-request-method': (c) => c.HttpRequestMethodConfig?.Values,
  'source-ip': (c) => c.SourceIpConfig?.Values,
}

function joinDefined(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...(a ?? []), ...(b ?? [])]
}

function conditionText(condition: RuleCondition): string {
  const field = condition.Field ?? ''
  const values = valuesOf[field]
  if (!values) return field
  // `host-header:` without a trailing space when there are no values, as in the seed's example.
  return `${field}: ${(values(condition) ?? []).join(' or ')}`.trimEnd()
}

/**
 * `Default` for the listener's default rule; otherwise every condition, joined with ` and ` (AWS
 * requires all of them). The original kept only the last one, hiding the others.
 */
export function ifText(rule: Rule): string {
  if (rule.IsDefault) return 'Default'
  return (rule.Conditions ?? []).map(conditionText).join(' and ')
}

/** The target groups a forward action sends to: its ForwardConfig, else its single TargetGroupArn. */
function forwardedArns(action: Action): string[] {
  if (action.Type !== 'forward') return []
  const weighted = (action.ForwardConfig?.TargetGroups ?? []).flatMap((tg) => (tg.TargetGroupArn ? [tg.TargetGroupArn] : []))
  if (weighted.length > 0) return weighted
  return action.TargetGroupArn ? [action.TargetGroupArn] : []
}

/** Every target group a rule forwards to, each once. */
export function ruleTargetGroupArns(rule: Rule): string[] {
  return [...new Set((rule.Actions ?? []).flatMap(forwardedArns))]
}

/** The name inside a target group ARN (`...:targetgroup/<name>/<id>`), for one that could not be described. */
export function nameInArn(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn
}

/**
 * A redirect keeps each part of the request it does not set; AWS writes those parts as these
 * placeholders, so a config that leaves one out reads the same as one that spells it.
 */
function redirectText(action: Action): string {
  const r = action.RedirectConfig
  if (!r) return 'redirect'
  const protocol = r.Protocol ?? '#{protocol}'
  const host = r.Host ?? '#{host}'
  const port = r.Port ?? '#{port}'
  const path = r.Path ?? '/#{path}'
  const query = r.Query ?? '#{query}'
  return `redirect to ${protocol}://${host}:${port}${path}?${query}`
}

function actionText(action: Action, nameOf: (arn: string) => string): string {
  switch (action.Type) {
    case 'fixed-response': {
      const code = action.FixedResponseConfig?.StatusCode
      return code ? `fixed response: status code ${code}` : 'fixed response'
    }
    case 'redirect':
      return redirectText(action)
    case 'forward': {
      const arns = forwardedArns(action)
      return arns.length > 0 ? `forward to ${arns.map(nameOf).join(', ')}` : 'forward'
    }
    default:
      // authenticate-oidc, authenticate-cognito, jwt-validation, and types newer than this code.
      return action.Type ?? ''
  }
}

/**
 * Every action in the order AWS performs them, joined with `, then ` (an authentication step
 * followed by the forward); a single action reads as in the original, which kept only the last.
 */
export function thenText(rule: Rule, nameOf: (arn: string) => string): string {
  const actions = [...(rule.Actions ?? [])].sort(
    (a, b) => (a.Order ?? Number.MAX_SAFE_INTEGER) - (b.Order ?? Number.MAX_SAFE_INTEGER),
  )
  return actions.map((a) => actionText(a, nameOf)).join(', then ')
}

/** Rules in the order the listener evaluates them: by priority, the default rule last. */
export function byPriority(a: Rule, b: Rule): number {
  return priorityRank(a) - priorityRank(b)
}

function priorityRank(rule: Rule): number {
  if (rule.IsDefault) return Number.MAX_SAFE_INTEGER
  const n = Number(rule.Priority)
  // An unreadable priority goes just before the default rule rather than breaking the order.
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER - 1
}

/**
 * A small evaluator of IAM identity policies, for preflight checks that ask "may this role call
 * `action` on `resource`?" without IAM's policy simulator (which not every account or backend
 * offers). It follows IAM's evaluation logic for identity policies: an explicit Deny wins, else an
 * Allow is needed; Action/NotAction and Resource/NotResource with `*` and `?` wildcards (actions
 * case-insensitive, resources case-sensitive). Conditions are not evaluated: a conditional Allow
 * counts (its condition may hold) and a conditional Deny does not (it may not apply), so a check
 * built on this fails only when the policies certainly refuse.
 */

export type PolicyDecision =
  | { allowed: true; by: string; conditional: boolean }
  | { allowed: false; reason: 'denied'; by: string }
  | { allowed: false; reason: 'no-allow' }

export interface NamedPolicy {
  /** Where the document comes from (inline policy name or managed policy ARN), for messages. */
  source: string
  /** The policy document: JSON text or parsed. */
  document: unknown
}

interface Statement {
  Effect?: unknown
  Action?: unknown
  NotAction?: unknown
  Resource?: unknown
  NotResource?: unknown
  Condition?: unknown
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')

function wildcard(pattern: string, flags: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`, flags)
}

function anyMatches(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  return patterns.some((p) => wildcard(p, caseInsensitive ? 'si' : 's').test(value))
}

function statementsOf(document: unknown): Statement[] {
  let doc = document
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as unknown
    } catch {
      return []
    }
  }
  if (doc === null || typeof doc !== 'object') return []
  const statement = (doc as { Statement?: unknown }).Statement
  const all = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]
  return all.filter((s): s is Statement => s !== null && typeof s === 'object')
}

function applies(s: Statement, action: string, resource: string): boolean {
  const actionOk = s.Action !== undefined ? anyMatches(list(s.Action), action, true) : s.NotAction !== undefined && !anyMatches(list(s.NotAction), action, true)
  if (!actionOk) return false
  return s.Resource !== undefined
    ? anyMatches(list(s.Resource), resource, false)
    : s.NotResource !== undefined && !anyMatches(list(s.NotResource), resource, false)
}

/** Whether `policies` let a principal call `action` on `resource`. */
export function evaluatePolicies(policies: readonly NamedPolicy[], action: string, resource: string): PolicyDecision {
  let allow: { by: string; conditional: boolean } | undefined
  for (const policy of policies) {
    for (const s of statementsOf(policy.document)) {
      if (!applies(s, action, resource)) continue
      const conditional = s.Condition !== undefined && s.Condition !== null && Object.keys(s.Condition).length > 0
      if (s.Effect === 'Deny' && !conditional) return { allowed: false, reason: 'denied', by: policy.source }
      // An unconditional Allow is the better witness to report than a conditional one.
      if (s.Effect === 'Allow' && (!allow || (allow.conditional && !conditional))) allow = { by: policy.source, conditional }
    }
  }
  return allow ? { allowed: true, ...allow } : { allowed: false, reason: 'no-allow' }
}

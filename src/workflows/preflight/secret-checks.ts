import { credentialSecrets } from '../../aws/credential-secrets.js'
import { describeParameter, getParameterArn } from '../../aws/ssm.js'
import { evaluatePolicies, type NamedPolicy } from '../../core/iam-policy-evaluation.js'
import { belongsToOrg } from '../../core/tags.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { containerField, fail, messageOf, pass, skipped, type CheckDeps, type CheckSubject } from './check-subject.js'

/**
 * Secrets and parameters the containers read at start (`secrets[].valueFrom`) and the secrets of
 * their repository credentials: each exists, is the org's, and the execution role's policies let it
 * be read (`secretsmanager:GetSecretValue`, `ssm:GetParameters`). A secret or parameter of another
 * org is reported like a missing one, so the answer confirms nothing about it.
 */

type Reference = { kind: 'secret'; id: string } | { kind: 'parameter'; name: string }

/** What a `valueFrom` names: a Secrets Manager ARN (a JSON key, stage or version may follow), an SSM parameter ARN, or a parameter name. */
export function referenceOf(valueFrom: string): Reference {
  const parts = valueFrom.split(':')
  if (parts[0] === 'arn' && parts[2] === 'secretsmanager') return { kind: 'secret', id: parts.slice(0, 7).join(':') }
  if (parts[0] === 'arn' && parts[2] === 'ssm') {
    const rest = parts.slice(5).join(':').replace(/^parameter/, '')
    // `parameter/a/b` is the ARN of `/a/b`; `parameter/a` the ARN of `a`.
    return { kind: 'parameter', name: rest.slice(1).includes('/') ? rest : rest.slice(1) }
  }
  return { kind: 'parameter', name: valueFrom }
}

type Policies = () => Promise<NamedPolicy[] | undefined>

async function readable(policies: Policies, action: string, resource: string): Promise<string | undefined> {
  const docs = await policies()
  if (docs === undefined) return 'the task has no execution role to read it with'
  const decision = evaluatePolicies(docs, action, resource)
  if (decision.allowed) return undefined
  return decision.reason === 'denied'
    ? `the execution role's policy ${decision.by} denies ${action} on it`
    : `no policy of the execution role allows ${action} on it`
}

async function checkSecret(check: string, field: string, id: string, subject: CheckSubject, deps: CheckDeps): Promise<CheckResult> {
  const found = await credentialSecrets(deps.account.clients.secretsManager).describe(id)
  if (!found || !belongsToOrg(found.tags, deps.org)) return fail(check, id, field, `secret ${id} not found in this org`)
  const refused = await readable(subject.rolePolicies, 'secretsmanager:GetSecretValue', found.arn)
  return refused ? fail(check, found.arn, field, refused) : pass(check, found.arn, field)
}

async function checkParameter(field: string, name: string, subject: CheckSubject, deps: CheckDeps): Promise<CheckResult> {
  const ssm = deps.account.clients.ssm
  const notFound = fail('secret', name, field, `parameter ${name} not found in this org`)
  // Parameters are the org's by their path (see the parameter routes).
  if (!name.startsWith(`/${deps.org}/`)) return notFound
  if (!(await describeParameter(ssm, name))) return notFound
  const arn = await getParameterArn(ssm, name)
  if (!arn) return skipped('secret', name, field, 'SSM did not give the parameter an ARN')
  const refused = await readable(subject.rolePolicies, 'ssm:GetParameters', arn)
  return refused ? fail('secret', arn, field, refused) : pass('secret', arn, field)
}

function guarded(check: string, resource: string, field: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
  return run().catch((err: unknown) => skipped(check, resource, field, `could not be checked: ${messageOf(err)}`))
}

export function secretChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult>[] {
  const containers = subject.taskDefinition.containerDefinitions ?? []
  const fromSecrets = containers.flatMap((c, i) =>
    (c.secrets ?? []).map((s, j) => {
      const field = containerField(i, `secrets[${j}].valueFrom`)
      const valueFrom = s.valueFrom ?? ''
      return guarded('secret', valueFrom, field, async () => {
        const ref = referenceOf(valueFrom)
        return ref.kind === 'secret' ? checkSecret('secret', field, ref.id, subject, deps) : checkParameter(field, ref.name, subject, deps)
      })
    }),
  )
  const fromCredentials = containers.flatMap((c, i) => {
    const field = containerField(i, 'repositoryCredentials.credentialsParameter')
    const fresh = c.name ? subject.newCredentials[c.name] : undefined
    if (fresh) {
      return [
        guarded('repository-credentials', fresh.name, field, async () => {
          // Created by this request under the space's path; its ARN is not known yet, its name is.
          const resource = `arn:aws:secretsmanager:${deps.account.config.region}:*:secret:${fresh.name}`
          const refused = await readable(subject.rolePolicies, 'secretsmanager:GetSecretValue', resource)
          return refused
            ? fail('repository-credentials', fresh.name, field, refused)
            : pass('repository-credentials', fresh.name, field, 'created by this request')
        }),
      ]
    }
    const arn = c.repositoryCredentials?.credentialsParameter
    if (!arn) return []
    return [guarded('repository-credentials', arn, field, () => checkSecret('repository-credentials', field, arn, subject, deps))]
  })
  return [...fromSecrets, ...fromCredentials]
}

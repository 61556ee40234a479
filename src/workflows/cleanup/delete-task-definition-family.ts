import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { revisionMemoryOf } from '../../core/revision-memory.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { mapWithConcurrency, settleWithConcurrency } from '../../core/concurrency.js'
import { belongsToOrg, inSpace } from '../../core/tags.js'
import { retireSecretsReport } from '../resources/retire-secrets.js'
import { IncompleteCleanupError } from './incomplete.js'

/** DescribeTaskDefinition / DeregisterTaskDefinition calls in flight at once. */
const CONCURRENCY = 4

export interface FamilyCleanup {
  /** Revisions this call deregistered (ones already INACTIVE are not repeated). */
  deregistered: string[]
  /** Credential secrets of the revisions this call deleted (ones already gone are not repeated). */
  secrets: string[]
}

/**
 * Deregisters every revision of the family that belongs to the org and space (each once, whatever
 * its position in the list) and force-deletes the repository-credential secrets any of them
 * referenced, the org's own only. Safe to run again: deregistered revisions and deleted secrets are
 * skipped. Every revision and secret is tried; when some could not be removed it throws an
 * `IncompleteCleanupError` naming them, whose `done` says what was removed.
 */
export async function deleteTaskDefinitionFamily(
  account: Account,
  target: { org: string; cluster: string; family: string },
): Promise<FamilyCleanup> {
  const ecs = ecsApi(account.clients.ecs)
  const [active, inactive] = await Promise.all([
    ecs.listTaskDefinitionArns(target.family, 'ACTIVE'),
    ecs.listTaskDefinitionArns(target.family, 'INACTIVE'),
  ])
  const revisions = [...new Set([...active, ...inactive])]
  const described = await mapWithConcurrency(revisions, (arn) => ecs.describeTaskDefinition(arn), CONCURRENCY)
  const ours = described.filter(
    (d): d is NonNullable<typeof d> => d !== undefined && belongsToOrg(d.tags, target.org) && inSpace(d.tags, target.cluster),
  )
  const secretsOf = (d: (typeof ours)[number]): string[] =>
    (d.taskDefinition.containerDefinitions ?? []).flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? [])
  const toDeregister = ours
    .filter((d) => d.taskDefinition.status === 'ACTIVE')
    .map((d) => d.taskDefinition.taskDefinitionArn ?? '')
    .filter(Boolean)
  // Not remembered as ACTIVE past this (before and after: a read meanwhile may remember it).
  const remembered = revisionMemoryOf(account)
  remembered?.forget(...toDeregister)
  const deregistering = await settleWithConcurrency(toDeregister, (arn) => ecs.deregisterTaskDefinition(arn), CONCURRENCY)
  remembered?.forget(...toDeregister)
  const notDeregistered = deregistering.flatMap((o) => (o.ok ? [] : [{ arn: o.item, error: o.error }]))
  // A secret a revision that is still ACTIVE refers to stays with it.
  const stillActive = new Set(notDeregistered.map((f) => f.arn))
  const keep = new Set(ours.filter((d) => stillActive.has(d.taskDefinition.taskDefinitionArn ?? '')).flatMap(secretsOf))
  const secretArns = [...new Set(ours.flatMap(secretsOf))].filter((arn) => !keep.has(arn))
  const retired = await retireSecretsReport(account, target.org, credentialSecretPrefix(target.org, target.cluster), secretArns)

  const done: FamilyCleanup = { deregistered: deregistering.flatMap((o) => (o.ok ? [o.item] : [])), secrets: retired.deleted }
  if (notDeregistered.length > 0 || retired.failed.length > 0) {
    const remains = [
      ...(notDeregistered.length > 0 ? [`could not deregister the revisions ${notDeregistered.map((f) => f.arn).join(', ')}`] : []),
      ...(keep.size > 0 ? [`kept their credential secrets ${[...keep].join(', ')}`] : []),
      ...(retired.failed.length > 0 ? [`could not delete the credential secrets ${retired.failed.map((f) => f.arn).join(', ')}`] : []),
    ]
    throw new IncompleteCleanupError(done, remains.join('; '), [...notDeregistered, ...retired.failed].map((f) => f.error))
  }
  return done
}

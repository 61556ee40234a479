import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { UpstreamError } from '../../core/errors.js'
import { belongsToOrg, inSpace } from '../../core/tags.js'
import { retireSecrets } from '../resources/retire-secrets.js'

/** DescribeTaskDefinition / DeregisterTaskDefinition calls in flight at once. */
const CONCURRENCY = 4

export interface FamilyCleanup {
  /** Revisions this call deregistered (ones already INACTIVE are not repeated). */
  deregistered: string[]
  /** Credential secrets the revisions referenced that were deleted (or were already gone). */
  secrets: string[]
}

/**
 * Deregisters every revision of the family that belongs to the org and space (each once, whatever
 * its position in the list) and force-deletes the repository-credential secrets any of them
 * referenced, the org's own only. Safe to run again: deregistered revisions and deleted secrets are
 * skipped. Throws when a secret could not be deleted, after doing everything else.
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
  const secretArns = [
    ...new Set(
      ours.flatMap((d) => (d.taskDefinition.containerDefinitions ?? []).flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? [])),
    ),
  ]
  const toDeregister = ours
    .filter((d) => d.taskDefinition.status === 'ACTIVE')
    .map((d) => d.taskDefinition.taskDefinitionArn ?? '')
    .filter(Boolean)
  await mapWithConcurrency(toDeregister, (arn) => ecs.deregisterTaskDefinition(arn), CONCURRENCY)

  const failed = await retireSecrets(account, target.org, credentialSecretPrefix(target.org, target.cluster), secretArns)
  if (failed.length > 0) throw new UpstreamError(`could not delete the credential secrets ${failed.join(', ')}`)
  return { deregistered: toDeregister, secrets: secretArns }
}

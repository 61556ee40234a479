import type { Account } from '../../aws/account-clients.js'
import { settleWithConcurrency } from '../../core/concurrency.js'
import { belongsToOrg } from '../../core/tags.js'
import { credentialSecrets } from '../../aws/credential-secrets.js'

const CONCURRENCY = 4

export interface RetiredSecrets {
  /** Secrets this call deleted (ones already gone, or not the org's, are not among them). */
  deleted: string[]
  /** Secrets that could not be deleted, with why. */
  failed: { arn: string; error: unknown }[]
}

/**
 * Force-deletes credential secrets a task definition no longer uses, but only the org's own: a
 * secret under the space's path, or an older one tagged with the org. Any other secret a container
 * pointed at is left alone. Every secret is tried; answers which were deleted and which failed.
 */
export async function retireSecretsReport(account: Account, org: string, prefix: string, arns: readonly string[]): Promise<RetiredSecrets> {
  const secrets = credentialSecrets(account.clients.secretsManager)
  const outcomes = await settleWithConcurrency(
    [...new Set(arns)],
    async (arn) => {
      const found = await secrets.describe(arn)
      if (!found) return false
      if (!found.name.startsWith(prefix) && !belongsToOrg(found.tags, org)) return false
      await secrets.forceDelete(found.arn)
      return true
    },
    CONCURRENCY,
  )
  return {
    deleted: outcomes.flatMap((o) => (o.ok && o.value ? [o.item] : [])),
    failed: outcomes.flatMap((o) => (o.ok ? [] : [{ arn: o.item, error: o.error }])),
  }
}

/** `retireSecretsReport` for callers that only need the ARNs that could not be deleted. */
export async function retireSecrets(account: Account, org: string, prefix: string, arns: readonly string[]): Promise<string[]> {
  return (await retireSecretsReport(account, org, prefix, arns)).failed.map((f) => f.arn)
}

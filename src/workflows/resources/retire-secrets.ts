import type { Account } from '../../aws/account-clients.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { belongsToOrg } from '../../core/tags.js'
import { credentialSecrets } from '../../aws/credential-secrets.js'

const CONCURRENCY = 4

/**
 * Force-deletes credential secrets a task definition no longer uses, but only the org's own: a
 * secret under the space's path, or an older one tagged with the org. Any other secret a container
 * pointed at is left alone. Answers the ARNs that could not be deleted.
 */
export async function retireSecrets(account: Account, org: string, prefix: string, arns: readonly string[]): Promise<string[]> {
  const secrets = credentialSecrets(account.clients.secretsManager)
  const failed: string[] = []
  await mapWithConcurrency(
    [...new Set(arns)],
    async (arn) => {
      try {
        const found = await secrets.describe(arn)
        if (!found) return
        if (!found.name.startsWith(prefix) && !belongsToOrg(found.tags, org)) return
        await secrets.forceDelete(found.arn)
      } catch {
        failed.push(arn)
      }
    },
    CONCURRENCY,
  )
  return failed
}

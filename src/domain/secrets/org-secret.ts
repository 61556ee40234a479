import { describeSecret, type SecretsManagerClient } from '../../aws/secrets-manager.js'
import type { DescribeSecretCommandOutput } from '../../aws/secrets-manager.js'
import { NotFoundError } from '../../core/errors.js'
import { belongsToOrg } from '../../core/tags.js'
import type { MadeHere } from '../../core/made-here.js'
import type { UseCaseContext } from '../use-case-context.js'
import { checkSecretId } from '../../aws/secret-rules.js'

/** What every secret use case needs: the account's Secrets Manager client and our org. */
export interface SecretScope {
  readonly secretsManager: SecretsManagerClient
  readonly org: string
  /** ARNs of the secrets this process created lately, by name and by ARN (see `deleteOrgSecret`). */
  readonly made?: MadeHere<string> | undefined
}

export function secretScope(base: UseCaseContext): SecretScope {
  return { secretsManager: base.account.clients.secretsManager, org: base.org, made: base.madeHere?.secrets }
}

/**
 * The secret's metadata when it is the org's (tag `spinup:org=<org>`). Another org's secret and a
 * missing one answer the same 404, so nothing about other orgs' secrets shows.
 */
export async function findOrgSecret(scope: SecretScope, id: string): Promise<DescribeSecretCommandOutput> {
  checkSecretId(id)
  const notFound = () => new NotFoundError(`secret ${id} not found`)
  let secret: DescribeSecretCommandOutput
  try {
    secret = await describeSecret(scope.secretsManager, id)
  } catch (err) {
    throw err instanceof NotFoundError ? notFound() : err
  }
  if (!belongsToOrg(secret.Tags, scope.org)) throw notFound()
  return secret
}

import { credentialSecrets } from '../../aws/credential-secrets.js'
import { DomainError, NotFoundError } from '../../core/errors.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { containerField, fail, messageOf, pass, skipped, type CheckDeps, type CheckSubject } from './check-subject.js'

/** The registry login of a secret value, as the image check takes it (X-Registry-Auth's form). */
function authHeader(value: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): string | undefined {
  if (value.SecretString !== undefined) return Buffer.from(value.SecretString).toString('base64')
  if (value.SecretBinary !== undefined) return Buffer.from(value.SecretBinary).toString('base64')
  return undefined
}

/**
 * Every container's image exists in its registry, looked up with the container's repository
 * credentials when it has them (the secret it names, or the value the request would store).
 */
export function imageChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult>[] {
  const secrets = credentialSecrets(deps.account.clients.secretsManager)
  return (subject.taskDefinition.containerDefinitions ?? []).map(async (c, i) => {
    const field = containerField(i, 'image')
    const image = c.image ?? ''
    if (!image) return fail('image', image, field, 'no image')
    let header: string | undefined
    const fresh = c.name ? subject.newCredentials[c.name] : undefined
    const arn = c.repositoryCredentials?.credentialsParameter
    try {
      if (fresh) header = authHeader(fresh)
      else if (arn) header = authHeader(await secrets.getValue(arn))
    } catch (err) {
      return skipped('image', image, field, `the repository credentials ${arn ?? ''} could not be read: ${messageOf(err)}`)
    }
    try {
      const found = await deps.images.check(image, header)
      return pass('image', image, field, found.digest ? `found, digest ${found.digest}` : 'found')
    } catch (err) {
      if (err instanceof NotFoundError) return fail('image', image, field, err.message)
      // A malformed reference or registry refused by the network guard: the pull would fail too.
      if (err instanceof DomainError && err.status < 500) return fail('image', image, field, err.message)
      return skipped('image', image, field, `the registry could not be asked: ${messageOf(err)}`)
    }
  })
}

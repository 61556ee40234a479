import { fromNodeProviderChain, fromTemporaryCredentials } from './sdk/credential-providers.js'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MetadataBearer, Pluggable } from '@smithy/types'
import type { AccountConfig } from '../config/schema.js'
import { translateAwsError } from './translate-error.js'

/** Temporary credentials are renewed this long before they expire, so no call signs with stale keys. */
const refreshMarginMs = 5 * 60_000

/**
 * Memoizes a provider until shortly before its credentials expire. Concurrent callers share one
 * in-flight fetch; a failed fetch is not cached, so the next call tries again.
 */
export function cachingProvider(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined
  let inflight: Promise<AwsCredentialIdentity> | undefined
  const fresh = (c: AwsCredentialIdentity) => !c.expiration || c.expiration.getTime() - Date.now() > refreshMarginMs
  return async () => {
    if (cached && fresh(cached)) return cached
    inflight ??= provider()
      .then((c) => (cached = c))
      .finally(() => (inflight = undefined))
    return inflight
  }
}

/**
 * The credentials of one configured account: static keys, or the default provider chain, and on top
 * of either an optional role assumption (cross-account access).
 */
export function accountCredentials(
  name: string,
  account: AccountConfig,
  plugin?: Pluggable<object, MetadataBearer>,
): AwsCredentialIdentityProvider {
  const base: AwsCredentialIdentityProvider =
    account.akid && account.secret
      ? () => Promise.resolve({ accessKeyId: account.akid!, secretAccessKey: account.secret! })
      : fromNodeProviderChain()
  const role = account.assumeRole
  if (!role) return cachingProvider(base)
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: role.sessionName ?? `ecs-api-${name}`,
      ...(role.externalId ? { ExternalId: role.externalId } : {}),
      DurationSeconds: 3600,
    },
    masterCredentials: base,
    clientConfig: { region: account.region, ...(account.endpoint ? { endpoint: account.endpoint } : {}) },
    // AssumeRole calls are counted and their errors translated like every other AWS call.
    ...(plugin ? { clientPlugins: [plugin] } : {}),
  })
  return cachingProvider(async () => {
    try {
      return await assume()
    } catch (err) {
      const translated = translateAwsError(err, 'STS', 'AssumeRole')
      if (translated instanceof Error) translated.message = `account ${name}: assuming ${role.roleArn} failed: ${translated.message}`
      throw translated
    }
  })
}

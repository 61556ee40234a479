import type { SecretDeletion, SecretValue } from './secrets-manager.js'
import { InputError } from '../core/errors.js'

/**
 * Secrets Manager's own rules for names, ids, values and deletion windows, checked before any call
 * so bad input is a 400 naming the field and nothing is created or changed.
 */

/** Characters of a secret name; an ARN adds `:`. */
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/
const ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/
/** The largest SecretString or SecretBinary Secrets Manager stores. */
const MAX_VALUE_BYTES = 65_536
const DEFAULT_WINDOW_DAYS = 7
const MIN_WINDOW_DAYS = 7
const MAX_WINDOW_DAYS = 30

export function checkSecretName(name: string | undefined): string {
  if (name === undefined || name.length === 0) throw new InputError('Name is required')
  if (!NAME.test(name)) {
    throw new InputError('Name must be 1 to 512 letters, digits or /_+=.@- characters')
  }
  return name
}

/** `{secret}` of the routes: a name (with `/` URL-encoded as %2F) or an ARN. */
export function checkSecretId(id: string): string {
  if (!ID.test(id)) throw new InputError('secret must be a secret name or ARN (letters, digits and /_+=.@:- only)')
  return id
}

/** Exactly one of SecretString and SecretBinary, within Secrets Manager's size limit. An empty string counts as absent. */
export function secretValueOf(input: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): SecretValue {
  const text = input.SecretString === '' ? undefined : input.SecretString
  const binary = input.SecretBinary?.byteLength === 0 ? undefined : input.SecretBinary
  if (text !== undefined && binary !== undefined) {
    throw new InputError('only one of SecretString or SecretBinary is allowed')
  }
  if (text !== undefined) {
    if (Buffer.byteLength(text, 'utf8') > MAX_VALUE_BYTES) throw new InputError(`SecretString is larger than ${MAX_VALUE_BYTES} bytes`)
    return { SecretString: text }
  }
  if (binary !== undefined) {
    if (binary.byteLength > MAX_VALUE_BYTES) throw new InputError(`SecretBinary is larger than ${MAX_VALUE_BYTES} bytes`)
    return { SecretBinary: binary }
  }
  throw new InputError('one of SecretString or SecretBinary (base64) is required')
}

/** An AWS region name, as the config's `accounts.{name}.region`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/

/**
 * `AddReplicaRegions` (of a secret create, or of a credentials entry at `path`): every entry names a
 * region. Secrets Manager answers a missing or malformed one with an error of its own at best, so it
 * is refused here with the entry's path.
 */
export function checkReplicaRegions(
  regions: readonly { Region?: string | undefined }[] | undefined,
  path = 'AddReplicaRegions',
): void {
  regions?.forEach((replica, i) => {
    if (replica.Region === undefined || !REGION.test(replica.Region)) {
      throw new InputError(`${path}[${i}].Region must be an AWS region name such as us-west-2`, {
        details: { path: `${path}[${i}].Region` },
      })
    }
  })
}

/** `?window=`: 0 deletes at once without recovery, 7 to 30 days keep it recoverable; default 7. */
export function deletionOf(window: string | undefined): SecretDeletion {
  if (window === undefined || window === '') return { recoveryWindowInDays: DEFAULT_WINDOW_DAYS }
  const days = /^\d{1,3}$/.test(window) ? Number(window) : NaN
  if (days === 0) return { withoutRecovery: true }
  if (!(days >= MIN_WINDOW_DAYS && days <= MAX_WINDOW_DAYS)) {
    throw new InputError(
      `window must be 0 (delete at once, without recovery) or ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS} days; got "${window}"`,
    )
  }
  return { recoveryWindowInDays: days }
}

import { putSecretValue, tagSecret, untagSecret } from '../../aws/secrets-manager.js'
import { decode, encode, type JsonValue } from '../../codec/index.js'
import { ConflictError, InputError } from '../../core/errors.js'
import { checkTags, MAX_TAGS, withoutOrgTags, type DecodedTag } from '../../core/tags.js'
import { updateTagsThenValue } from '../../workflows/tags-then-value.js'
import { SecretUpdateShape, SecretVersionShape } from './bodies.js'
import { findOrgSecret, type SecretScope } from './org-secret.js'
import { secretValueOf } from '../../aws/secret-rules.js'

/** The update body `{"Secret": "...", "Tags": [...]}` as the codec decodes it. */
export interface SecretUpdateBody {
  secret?: string | undefined
  tags?: DecodedTag[] | undefined
}

/**
 * Adds or overwrites tags and/or stores a new string value as the AWSCURRENT version of one of the
 * org's secrets. Answers the new version, or undefined when only tags changed.
 */
export async function updateOrgSecret(
  scope: SecretScope,
  id: string,
  input: unknown,
): Promise<JsonValue | undefined> {
  const { value: body, unknownKeys: ignoredKeys } = decode(SecretUpdateShape, input)
  // Step 1: the org check, before anything about the request is revealed or done.
  const current = await findOrgSecret(scope, id)
  // Step 2: everything the request asks for is checked before the first change.
  const tags = withoutOrgTags(checkTags(body.tags, { field: 'Tags', max: MAX_TAGS }), scope.org)
  const value = body.secret === undefined || body.secret === '' ? undefined : secretValueOf({ SecretString: body.secret })
  if (value === undefined && tags.length === 0) {
    const ignored = ignoredKeys.length > 0 ? ` (ignored: ${ignoredKeys.join(', ')})` : ''
    throw new InputError(`nothing to update: give a Secret and/or Tags${ignored}`)
  }
  if (current.DeletedDate !== undefined) {
    throw new ConflictError(`secret ${id} is scheduled for deletion; restore it before changing it`)
  }
  // Step 3: tags, then the value (the original's order); a failed value write puts the tags back.
  const secretId = current.ARN ?? id
  const { secretsManager } = scope
  const version = await updateTagsThenValue({
    currentTags: current.Tags ?? [],
    tags,
    tag: (given) => tagSecret(secretsManager, secretId, given),
    untag: (keys) => untagSecret(secretsManager, secretId, keys),
    writeValue: value === undefined ? undefined : () => putSecretValue(secretsManager, secretId, value),
  })
  return version === undefined ? undefined : encode(SecretVersionShape, version)
}

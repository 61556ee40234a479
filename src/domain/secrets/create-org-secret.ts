import { createSecret, type CreateSecretCommandInput } from '../../aws/secrets-manager.js'
import { decode, encode, type JsonValue } from '../../codec/index.js'
import { ConflictError, InputError } from '../../core/errors.js'
import { checkTags, MAX_TAGS, orgTags, type DecodedTag } from '../../core/tags.js'
import { checkReplicaRegions, checkSecretName, secretValueOf } from '../../aws/secret-rules.js'
import { CreatedSecretShape, SecretCreateShape } from './bodies.js'
import type { SecretScope } from './org-secret.js'

/** A CreateSecretInput as the codec decodes it (keys in any case). */
export type SecretCreateBody = Omit<CreateSecretCommandInput, 'Tags'> & { Tags?: DecodedTag[] | undefined }

/**
 * Creates a secret of the org. The org tag is ours to set: a client `spinup:org` naming another org
 * is a 403, one naming ours is dropped for the one we add. An existing name is a 409.
 */
export async function createOrgSecret(scope: SecretScope, input: unknown): Promise<JsonValue> {
  const body = decode(SecretCreateShape, input).value
  const name = checkSecretName(body.Name)
  const value = secretValueOf(body)
  checkReplicaRegions(body.AddReplicaRegions)
  const tags = orgTags(checkTags(body.Tags, { field: 'Tags', max: MAX_TAGS }), scope.org)
  if (tags.length > MAX_TAGS) throw new InputError(`Tags: at most ${MAX_TAGS - 1} tags besides the org tag are allowed`)
  try {
    // Value members are replaced by the checked ones, so an empty string is never sent beside the other.
    const { SecretString: _s, SecretBinary: _b, ...rest } = body
    const created = await createSecret(scope.secretsManager, { ...rest, ...value, Name: name, Tags: tags })
    // A delete may go straight to this ARN (`deleteOrgSecret`); not one with replicas, which go first.
    if (created.ARN && (body.AddReplicaRegions?.length ?? 0) === 0) {
      scope.made?.remember(name, created.ARN)
      scope.made?.remember(created.ARN, created.ARN)
    }
    return encode(CreatedSecretShape, created)
  } catch (err) {
    if (err instanceof ConflictError) {
      throw new ConflictError(`a secret named ${name} already exists (or is scheduled for deletion)`)
    }
    throw err
  }
}

import { deleteSecret, removeReplicaRegions, replicaRegionsOf, type SecretDeletion } from '../../aws/secrets-manager.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { ConflictError, InputError, NotFoundError } from '../../core/errors.js'
import { DeletedSecretShape } from './bodies.js'
import { findOrgSecret, type SecretScope } from './org-secret.js'
import { checkSecretId, deletionOf } from '../../aws/secret-rules.js'

/**
 * A secret this process created lately (no replicas then) is scheduled for deletion by the ARN
 * CreateSecret answered, without reading it back first. Isolation: a secret's ARN ends in a suffix
 * Secrets Manager draws for each secret, so a secret of that name deleted and recreated since (by
 * another replica, or another org's) has another ARN, and the delete finds nothing instead of
 * touching it. Whenever the delete answers something else than success (the secret is gone, already
 * scheduled for deletion, has been given replicas), nothing was changed and the request is answered
 * as any other, from the secret's metadata, so every answer and error stays what it was. Only a
 * change of the secret's org tag outside this API (this API never changes it) goes unseen, for at
 * most the TTL of `orgCacheSeconds`. Not for a delete without recovery: Secrets Manager answers
 * that one with success for a secret that does not exist, so "gone" would not show. Answers
 * undefined when the secret was not made here or the direct delete did not succeed.
 */
async function deleteMadeHere(scope: SecretScope, id: string, deletion: SecretDeletion): Promise<JsonValue | undefined> {
  const arn = 'withoutRecovery' in deletion ? undefined : scope.made?.get(id)
  if (arn === undefined) return undefined
  scope.made?.forget(id, arn)
  try {
    const deleted = await deleteSecret(scope.secretsManager, arn, deletion)
    scope.made?.forget(deleted.Name)
    return encode(DeletedSecretShape, deleted)
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof InputError || err instanceof ConflictError) return undefined
    throw err
  }
}

/**
 * Deletes one of the org's secrets after a recovery window (`window` 7 to 30 days, default 7) or at
 * once (`0`). Scheduling an already scheduled secret again is a 409; deleting it at once works.
 * Secrets Manager refuses to delete a secret that still has replicas (created with
 * `AddReplicaRegions`), so its replicas are removed first.
 */
export async function deleteOrgSecret(
  scope: SecretScope,
  id: string,
  window: string | undefined,
): Promise<JsonValue> {
  const deletion = deletionOf(window)
  const direct = await deleteMadeHere(scope, checkSecretId(id), deletion)
  if (direct !== undefined) return direct
  const current = await findOrgSecret(scope, id)
  if (current.DeletedDate !== undefined && !('withoutRecovery' in deletion)) {
    throw new ConflictError(`secret ${id} is already scheduled for deletion on ${current.DeletedDate.toISOString()}`)
  }
  const secretId = current.ARN ?? id
  await removeReplicaRegions(scope.secretsManager, secretId, replicaRegionsOf(current))
  return encode(DeletedSecretShape, await deleteSecret(scope.secretsManager, secretId, deletion))
}

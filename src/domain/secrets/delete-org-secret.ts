import { deleteSecret, removeReplicaRegions, replicaRegionsOf } from '../../aws/secrets-manager.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { ConflictError } from '../../core/errors.js'
import { DeletedSecretShape } from './bodies.js'
import { findOrgSecret, type SecretScope } from './org-secret.js'
import { deletionOf } from './secret-rules.js'

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
  const current = await findOrgSecret(scope, id)
  if (current.DeletedDate !== undefined && !('withoutRecovery' in deletion)) {
    throw new ConflictError(`secret ${id} is already scheduled for deletion on ${current.DeletedDate.toISOString()}`)
  }
  const secretId = current.ARN ?? id
  await removeReplicaRegions(scope.secretsManager, secretId, replicaRegionsOf(current))
  return encode(DeletedSecretShape, await deleteSecret(scope.secretsManager, secretId, deletion))
}

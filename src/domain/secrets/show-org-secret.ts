import { encode, type JsonValue } from '../../codec/index.js'
import { SecretMetadataShape } from './bodies.js'
import { findOrgSecret, type SecretScope } from './org-secret.js'

/** One of the org's secrets: its metadata, never its value. */
export async function showOrgSecret(scope: SecretScope, id: string): Promise<JsonValue> {
  // Every member, null when unset, as the original answered (its clients read `"DeletedDate": null`).
  return encode(SecretMetadataShape, await findOrgSecret(scope, id), { fillNull: true })
}

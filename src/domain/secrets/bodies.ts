import { CreateSecretRequest$, CreateSecretResponse$, DeleteSecretResponse$, DescribeSecretResponse$, PutSecretValueResponse$, Tag$ } from '../../aws/sdk/secrets-manager.js'
import { listOf, scalar, sdkShape, struct } from '../../codec/index.js'
import type { DecodedTag } from '../../core/tags.js'
import type { SecretCreateBody } from './create-org-secret.js'

/** Codec shapes of the bodies, and of the answers (PascalCase AWS members). */
export const SecretCreateShape = sdkShape<SecretCreateBody>(CreateSecretRequest$)
export const SecretUpdateShape = struct(
  { secret: scalar.string, tags: listOf(sdkShape<DecodedTag>(Tag$)) },
  'SecretUpdateBody',
)
export const CreatedSecretShape = CreateSecretResponse$
export const SecretMetadataShape = DescribeSecretResponse$
export const SecretVersionShape = PutSecretValueResponse$
export const DeletedSecretShape = DeleteSecretResponse$

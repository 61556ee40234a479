import type {
  CreateSecretCommandInput,
  CreateSecretResponse,
  PutSecretValueResponse,
  SecretsManagerClient,
  Tag,
} from '@aws-sdk/client-secrets-manager'
import { GetSecretValueCommand } from './sdk/secrets-manager.js'
import {
  createSecret,
  deleteSecret,
  describeSecret,
  isStillReplicated,
  putSecretValue,
  removeReplicaRegions,
  replicaRegionsOf,
  tagSecret,
  type SecretValue,
} from './secrets-manager.js'
import { NotFoundError, UpstreamError } from '../core/errors.js'
import type { Tag as DomainTag } from '../core/tags.js'

/**
 * What repository credentials (private-registry logins ECS reads when it pulls an image) need from
 * Secrets Manager: the shared adapter, plus reading a value, which only the migration of legacy
 * secrets and the rollback of an overwritten value do.
 */

export type { SecretValue }

export interface CredentialSecrets {
  create(input: CreateSecretCommandInput): Promise<CreateSecretResponse & { ARN: string }>
  /** Deletes without a recovery window; a secret that is already gone is fine. */
  forceDelete(id: string): Promise<void>
  putValue(id: string, value: SecretValue): Promise<PutSecretValueResponse>
  getValue(id: string): Promise<SecretValue>
  /** The secret's name and tags, or undefined when it does not exist (or is scheduled for deletion). */
  describe(id: string): Promise<{ arn: string; name: string; tags: Tag[] } | undefined>
  tag(id: string, tags: readonly DomainTag[]): Promise<void>
}

/** Over one account's Secrets Manager client (errors arrive already translated). */
export function credentialSecrets(client: SecretsManagerClient): CredentialSecrets {
  return {
    async create(input) {
      const out = await createSecret(client, input)
      if (!out.ARN) throw new UpstreamError(`SecretsManager.CreateSecret answered without an ARN for ${input.Name ?? '?'}`)
      return { ARN: out.ARN, Name: out.Name, VersionId: out.VersionId }
    },

    async forceDelete(id) {
      const gone = (err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err
      }
      try {
        await deleteSecret(client, id, { withoutRecovery: true })
      } catch (err) {
        if (!isStillReplicated(err)) return gone(err)
        // A secret given `AddReplicaRegions` is deleted once its replicas are: they go first.
        await removeReplicaRegions(client, id, replicaRegionsOf(await describeSecret(client, id)))
        await deleteSecret(client, id, { withoutRecovery: true }).catch(gone)
      }
    },

    async putValue(id, value) {
      const out = await putSecretValue(client, id, value)
      return { ARN: out.ARN, Name: out.Name, VersionId: out.VersionId, VersionStages: out.VersionStages }
    },

    async getValue(id) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }))
      if (out.SecretBinary !== undefined) return { SecretBinary: out.SecretBinary }
      return { SecretString: out.SecretString ?? '' }
    },

    async describe(id) {
      try {
        const out = await describeSecret(client, id)
        if (out.DeletedDate) return undefined
        return { arn: out.ARN ?? id, name: out.Name ?? '', tags: out.Tags ?? [] }
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
    },

    tag: (id, tags) => tagSecret(client, id, tags),
  }
}

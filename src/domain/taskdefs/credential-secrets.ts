import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type CreateSecretCommandInput,
  type CreateSecretResponse,
  type PutSecretValueResponse,
  type SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager'
import { NotFoundError, UpstreamError } from '../errors.js'

/**
 * The few Secrets Manager calls repository credentials need (private-registry logins that ECS reads
 * when it pulls an image).
 */

export interface SecretValue {
  SecretString?: string
  SecretBinary?: Uint8Array
}

export interface CredentialSecrets {
  create(input: CreateSecretCommandInput): Promise<CreateSecretResponse & { ARN: string }>
  /** Deletes without a recovery window; a secret that is already gone is fine. */
  forceDelete(id: string): Promise<void>
  putValue(id: string, value: SecretValue, clientRequestToken?: string): Promise<PutSecretValueResponse>
  getValue(id: string): Promise<SecretValue>
  /** The secret's name and tags, or undefined when it does not exist. */
  describe(id: string): Promise<{ name: string; tags: Tag[] } | undefined>
}

/** Over one account's Secrets Manager client (errors arrive already translated). */
export function credentialSecrets(client: SecretsManagerClient): CredentialSecrets {
  return {
    async create(input) {
      const out = await client.send(new CreateSecretCommand(input))
      if (!out.ARN) throw new UpstreamError(`SecretsManager.CreateSecret answered without an ARN for ${input.Name ?? '?'}`)
      return { ...out, ARN: out.ARN }
    },

    async forceDelete(id) {
      try {
        await client.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }))
      } catch (err) {
        if (err instanceof NotFoundError) return
        throw err
      }
    },

    async putValue(id, value, clientRequestToken) {
      return client.send(
        new PutSecretValueCommand({
          SecretId: id,
          ...value,
          ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
        }),
      )
    },

    async getValue(id) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }))
      return {
        ...(out.SecretString !== undefined ? { SecretString: out.SecretString } : {}),
        ...(out.SecretBinary !== undefined ? { SecretBinary: out.SecretBinary } : {}),
      }
    },

    async describe(id) {
      try {
        const out = await client.send(new DescribeSecretCommand({ SecretId: id }))
        if (out.DeletedDate) return undefined
        return { name: out.Name ?? '', tags: out.Tags ?? [] }
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
    },
  }
}

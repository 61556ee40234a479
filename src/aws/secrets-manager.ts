/**
 * The Secrets Manager calls this service makes: org secrets (`/secrets` routes) and the
 * repository-credential secrets of the orchestrations (`spinup/<org>/<cluster>/<name>`). Every call
 * goes through the account's instrumented client, so errors arrive here already translated to
 * domain errors; calls that carry a secret value redact it from any error they throw.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListSecrets,
} from './sdk/secrets-manager.js'
import type {
  CreateSecretCommandInput,
  CreateSecretCommandOutput,
  DeleteSecretCommandOutput,
  DescribeSecretCommandOutput,
  Filter,
  PutSecretValueCommandOutput,
  SecretListEntry,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { withValuesRedacted } from '../core/redact-value.js'
import { awsCodeOf } from './translate-error.js'
import type { Tag } from '../core/tags.js'

export type {
  CreateSecretCommandInput,
  CreateSecretCommandOutput,
  DeleteSecretCommandOutput,
  DescribeSecretCommandOutput,
  PutSecretValueCommandOutput,
  SecretsManagerClient,
}

/** ListSecrets' largest page. */
const PAGE_SIZE = 100

/** Secret values as Secrets Manager takes them: exactly one of the two. */
export type SecretValue = { SecretString: string; SecretBinary?: never } | { SecretBinary: Uint8Array; SecretString?: never }

/** How a secret is deleted: after a recovery window (7 to 30 days), or at once without recovery. */
export type SecretDeletion = { recoveryWindowInDays: number } | { withoutRecovery: true }

function valuesOf(input: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): string[] {
  const values: string[] = []
  if (input.SecretString !== undefined) values.push(input.SecretString)
  if (input.SecretBinary !== undefined) values.push(Buffer.from(input.SecretBinary).toString('base64'))
  return values
}

/**
 * Every secret matching `filters` (ANDed; AWS matches tag keys and values by prefix, independently),
 * all pages. Secrets scheduled for deletion are left out, as ListSecrets does by default.
 */
export async function listSecrets(client: SecretsManagerClient, filters: Filter[]): Promise<SecretListEntry[]> {
  const secrets: SecretListEntry[] = []
  const input = { MaxResults: PAGE_SIZE, ...(filters.length > 0 ? { Filters: filters } : {}) }
  for await (const page of paginateListSecrets({ client }, input)) secrets.push(...(page.SecretList ?? []))
  return secrets
}

/** Creates a secret; an existing name is a ConflictError. */
export async function createSecret(
  client: SecretsManagerClient,
  input: CreateSecretCommandInput,
): Promise<CreateSecretCommandOutput> {
  return withValuesRedacted(client.send(new CreateSecretCommand(input)), valuesOf(input))
}

/** Metadata and tags of a secret (never its value); a missing one is a NotFoundError. */
export async function describeSecret(client: SecretsManagerClient, secretId: string): Promise<DescribeSecretCommandOutput> {
  return client.send(new DescribeSecretCommand({ SecretId: secretId }))
}

/** Stores a new value as the secret's AWSCURRENT version. */
export async function putSecretValue(
  client: SecretsManagerClient,
  secretId: string,
  value: SecretValue,
): Promise<PutSecretValueCommandOutput> {
  const command = new PutSecretValueCommand({ SecretId: secretId, ...value, VersionStages: ['AWSCURRENT'] })
  return withValuesRedacted(client.send(command), valuesOf(value))
}

/** Adds tags to a secret, overwriting the values of keys it already has. */
export async function tagSecret(client: SecretsManagerClient, secretId: string, tags: readonly Tag[]): Promise<void> {
  if (tags.length === 0) return
  await client.send(new TagResourceCommand({ SecretId: secretId, Tags: [...tags] }))
}

/** Removes tags from a secret by key; keys it does not have are fine. */
export async function untagSecret(client: SecretsManagerClient, secretId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  await client.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: [...keys] }))
}

/** The regions a described secret is replicated to (`AddReplicaRegions`). */
export function replicaRegionsOf(secret: Pick<DescribeSecretCommandOutput, 'ReplicationStatus'>): string[] {
  return (secret.ReplicationStatus ?? []).flatMap((r) => (r.Region ? [r.Region] : []))
}

/** Stops replicating a secret to `regions` and deletes its replicas there. */
export async function removeReplicaRegions(client: SecretsManagerClient, secretId: string, regions: readonly string[]): Promise<void> {
  if (regions.length === 0) return
  await client.send(new RemoveRegionsFromReplicationCommand({ SecretId: secretId, RemoveReplicaRegions: [...regions] }))
}

/** Secrets Manager's answer to deleting a secret that still has replicas. */
export function isStillReplicated(err: unknown): boolean {
  return awsCodeOf(err) === 'InvalidParameterException' && err instanceof Error && /replica/i.test(err.message)
}

/** Deletes a secret, after a recovery window or at once. */
export async function deleteSecret(
  client: SecretsManagerClient,
  secretId: string,
  deletion: SecretDeletion,
): Promise<DeleteSecretCommandOutput> {
  const how =
    'withoutRecovery' in deletion
      ? { ForceDeleteWithoutRecovery: true }
      : { RecoveryWindowInDays: deletion.recoveryWindowInDays }
  return client.send(new DeleteSecretCommand({ SecretId: secretId, ...how }))
}

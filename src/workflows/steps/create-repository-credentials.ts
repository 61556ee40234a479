/**
 * Step `create-repository-credentials`: one Secrets Manager secret `spinup/<org>/<cluster>/<name>`
 * per entry of the request's credentials map (keyed by container name), tagged with the run's tags.
 * The name defaults to the container name when the entry has none.
 *
 * Usage: list `createRepositoryCredentials` in a workflow whose scope is a `CredentialsScope`; the
 * entries must have been validated (`validateCredentials`) before the run. Output:
 * `RepositoryCredentials` (secret ARN per container, and Secrets Manager's answers for the response).
 * If one create fails, the step fails with the secrets it already made as its compensation, so the
 * rollback deletes them (and reports a delete that fails); rollback force-deletes every secret it created.
 */
import type { CreateSecretCommandInput, CreateSecretResponse, PutSecretValueResponse } from '@aws-sdk/client-secrets-manager'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { credentialSecrets, type CredentialSecrets } from '../../aws/credential-secrets.js'
import { defineStep, StepFailedError, type StepContext } from '../step.js'
import { type SpaceScope } from './space-scope.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'

export const CREATE_REPOSITORY_CREDENTIALS_STEP = 'create-repository-credentials'
/** Secrets created at once. */
const CONCURRENCY = 4

/** A CreateSecret input whose name is optional (it defaults to the container name). */
export type CredentialEntry = Omit<CreateSecretCommandInput, 'Name'> & { Name?: string | undefined }

export interface CredentialsScope extends SpaceScope {
  /** Container name -> CreateSecret input (SecretString or SecretBinary; Name optional). */
  readonly credentials?: Readonly<Record<string, CredentialEntry>> | undefined
}

/** The repository credentials a task definition should reference, and what AWS answered per container. */
export interface RepositoryCredentials {
  /** Secret ARN per container name: becomes the container's `repositoryCredentials.credentialsParameter`. */
  arns: Record<string, string>
  /** Secrets Manager's answer per container whose secret was created or updated (the response's `Credentials`). */
  results: Record<string, CreateSecretResponse | PutSecretValueResponse>
}

/** The name of a container's credential secret. */
export function credentialSecretName(scope: SpaceScope, container: string, entry: CredentialEntry): string {
  return credentialSecretPrefix(scope.org, scope.clusterName) + (entry.Name ?? container)
}

type Created = { container: string; created: CreateSecretResponse & { ARN: string } }

/**
 * Creates the secrets. After a failure no new create starts, the ones in flight are awaited, and the
 * first error is thrown as a `StepFailedError` whose compensation is the ARNs of every secret made.
 */
async function createAll(
  secrets: CredentialSecrets,
  scope: CredentialsScope,
  entries: [string, CredentialEntry][],
): Promise<Created[]> {
  let failure: { error: unknown } | undefined
  const results = await mapWithConcurrency(
    entries,
    async ([container, entry]): Promise<Created | undefined> => {
      if (failure) return undefined
      try {
        const created = await secrets.create({
          ...entry,
          Name: credentialSecretName(scope, container, entry),
          Tags: [...scope.tags],
        })
        return { container, created }
      } catch (error) {
        failure ??= { error }
        return undefined
      }
    },
    CONCURRENCY,
  )
  const made = results.filter((r): r is Created => r !== undefined)
  if (failure) {
    const arns = made.map((m) => m.created.ARN)
    throw new StepFailedError(failure.error, { compensation: arns.length > 0 ? arns : undefined })
  }
  return made
}

export const createRepositoryCredentials = defineStep({
  id: CREATE_REPOSITORY_CREDENTIALS_STEP,
  async invoke(ctx: StepContext<CredentialsScope>) {
    const entries = Object.entries(ctx.scope.credentials ?? {})
    const output: RepositoryCredentials = { arns: {}, results: {} }
    if (entries.length === 0) return { output, skipped: true as const }
    const secrets = credentialSecrets(ctx.scope.account.clients.secretsManager)
    const created = await createAll(secrets, ctx.scope, entries)
    for (const { container, created: secret } of created) {
      output.arns[container] = secret.ARN
      output.results[container] = { ARN: secret.ARN, Name: secret.Name, VersionId: secret.VersionId }
    }
    return { output, compensation: created.map((c) => c.created.ARN) }
  },
  async compensate(arns: string[], ctx) {
    const secrets = credentialSecrets(ctx.scope.account.clients.secretsManager)
    const results = await Promise.allSettled(arns.map((arn) => secrets.forceDelete(arn)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
  },
})

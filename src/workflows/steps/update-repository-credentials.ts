/**
 * Step `update-repository-credentials`: carries out a `CredentialsPlan` (see
 * `planCredentialUpdate`): keeps, overwrites, creates or migrates each container's repository
 * credential secret. Nothing is deleted here; the plan's retired secrets are deleted by the caller
 * after the new revision is registered.
 *
 * Usage: in an update workflow whose scope is a `CredentialsUpdateScope`; register the revision with
 * `registerTaskDefinitionStep(updateRepositoryCredentials)`. Output: `RepositoryCredentials`. If an
 * action fails, the step fails with what it did so far as its compensation, so the rollback deletes
 * the secrets made and puts overwritten values back (and reports what it could not); rollback does the
 * same for a completed run.
 */
import type { CreateSecretResponse, PutSecretValueResponse } from '@aws-sdk/client-secrets-manager'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { credentialSecrets, type CredentialSecrets, type SecretValue } from '../../aws/credential-secrets.js'
import type { CredentialAction, CredentialsPlan } from '../resources/credentials-update-plan.js'
import { defineStep, StepFailedError, type StepContext } from '../step.js'
import type { RepositoryCredentials } from './create-repository-credentials.js'
import type { SpaceScope } from './space-scope.js'

export const UPDATE_REPOSITORY_CREDENTIALS_STEP = 'update-repository-credentials'
const CONCURRENCY = 4

export interface CredentialsUpdateScope extends SpaceScope {
  readonly credentialsPlan: CredentialsPlan
}

/** What to undo: secrets created, and values overwritten (with the value they had). */
interface Undo {
  created: string[]
  overwritten: { arn: string; previous: SecretValue }[]
}

type Done = { container: string; arn: string; result?: CreateSecretResponse | PutSecretValueResponse }

async function carryOut(secrets: CredentialSecrets, scope: CredentialsUpdateScope, action: CredentialAction, undo: Undo): Promise<Done> {
  const { prefix } = scope.credentialsPlan
  switch (action.kind) {
    case 'keep':
      return { container: action.container, arn: action.arn }
    case 'put': {
      const previous = await secrets.getValue(action.arn)
      const result = await secrets.putValue(action.arn, action.value)
      undo.overwritten.push({ arn: action.arn, previous })
      return { container: action.container, arn: action.arn, result }
    }
    case 'create': {
      const { entry } = action
      const created = await secrets.create({ ...entry, Name: prefix + (entry.Name ?? action.container), Tags: [...scope.tags] })
      undo.created.push(created.ARN)
      return { container: action.container, arn: created.ARN, result: created }
    }
    case 'migrate': {
      const old = await secrets.describe(action.oldArn)
      const lastPart = (old?.name ?? action.container).split('/').at(-1) ?? action.container
      const value = action.entry ? undefined : await secrets.getValue(action.oldArn)
      const created = await secrets.create({
        ...(action.entry ?? {}),
        ...(value ?? {}),
        Name: prefix + (action.entry?.Name ?? lastPart),
        Tags: [...scope.tags],
      })
      undo.created.push(created.ARN)
      return { container: action.container, arn: created.ARN, result: created }
    }
  }
}

async function undoAll(secrets: CredentialSecrets, undo: Undo): Promise<void> {
  const results = await Promise.allSettled([
    ...undo.created.map((arn) => secrets.forceDelete(arn)),
    ...undo.overwritten.map(({ arn, previous }) => secrets.putValue(arn, previous)),
  ])
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

export const updateRepositoryCredentials = defineStep({
  id: UPDATE_REPOSITORY_CREDENTIALS_STEP,
  async invoke(ctx: StepContext<CredentialsUpdateScope>) {
    const secrets = credentialSecrets(ctx.scope.account.clients.secretsManager)
    const undo: Undo = { created: [], overwritten: [] }
    let failure: { error: unknown } | undefined
    const done = await mapWithConcurrency(
      ctx.scope.credentialsPlan.actions,
      async (action) => {
        if (failure) return undefined
        try {
          return await carryOut(secrets, ctx.scope, action, undo)
        } catch (error) {
          failure ??= { error }
          return undefined
        }
      },
      CONCURRENCY,
    )
    if (failure) {
      const changed = undo.created.length > 0 || undo.overwritten.length > 0
      throw new StepFailedError(failure.error, { compensation: changed ? undo : undefined })
    }
    const output: RepositoryCredentials = { arns: {}, results: {} }
    for (const d of done) {
      if (!d) continue
      output.arns[d.container] = d.arn
      if (d.result) output.results[d.container] = d.result
    }
    if (undo.created.length === 0 && undo.overwritten.length === 0) return { output, skipped: true as const }
    return { output, compensation: undo }
  },
  async compensate(undo: Undo, ctx) {
    await undoAll(credentialSecrets(ctx.scope.account.clients.secretsManager), undo)
  },
})

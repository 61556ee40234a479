import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import type { CredentialAction } from '../../../src/workflows/resources/credentials-update-plan.js'
import { defineWorkflow, WorkflowFailedError } from '../../../src/workflows/engine.js'
import {
  updateRepositoryCredentials,
  type CredentialsUpdateScope,
} from '../../../src/workflows/steps/update-repository-credentials.js'
import { TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { failSdkCall, injectedAwsError, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

const PREFIX = `spinup/${TEST_ORG}/${SPACE}/`
type Secrets = ReturnType<typeof moto>['secrets']

async function secretNames(secrets: Secrets): Promise<string[]> {
  const out = await secrets.send(new ListSecretsCommand({}))
  return (out.SecretList ?? []).map((s) => s.Name ?? '').sort()
}
async function valueOf(secrets: Secrets, id: string): Promise<string | undefined> {
  return (await secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString
}

/**
 * A space with secret `api` (value `old`) and `taken`, and a plan that overwrites `api`, creates
 * `worker` and fails creating `taken` (the name is in use): the failing step has changed two things.
 */
async function failingUpdate(secrets: Secrets): Promise<{ scope: CredentialsUpdateScope; apiArn: string }> {
  const api = await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}api`, SecretString: 'old' }))
  await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}taken`, SecretString: 'keep me' }))
  const apiArn = api.ARN ?? ''
  const actions: CredentialAction[] = [
    { kind: 'put', container: 'api', arn: apiArn, value: { SecretString: 'new' } },
    { kind: 'create', container: 'worker', entry: { SecretString: 'w' } },
    { kind: 'create', container: 'sidecar', entry: { Name: 'taken', SecretString: 'y' } },
  ]
  return { scope: { ...(await testScope()), credentialsPlan: { prefix: PREFIX, actions, retire: [] } }, apiArn }
}

describe('update-repository-credentials', () => {
  it('when an action fails, the rollback undoes what the step did before: secrets made deleted, values put back', async () => {
    const { secrets } = moto()
    const { scope, apiArn } = await failingUpdate(secrets)
    const err = await defineWorkflow('wf', [updateRepositoryCredentials]).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    const { report, status } = err as WorkflowFailedError
    expect(status).toBe(409)
    expect(report.failedStep).toBe('update-repository-credentials')
    expect(report.rolledBack).toEqual(['update-repository-credentials'])
    expect(await secretNames(secrets)).toEqual([`${PREFIX}api`, `${PREFIX}taken`])
    expect(await valueOf(secrets, apiArn)).toBe('old')
    expect(await valueOf(secrets, `${PREFIX}taken`)).toBe('keep me')
  })

  it('when putting an overwritten value back fails (injected PutSecretValue failure), the rollback reports it', async () => {
    const { secrets } = moto()
    const { scope, apiArn } = await failingUpdate(secrets)
    failSdkCall(scope.account, 'secretsManager', 'PutSecretValue', injectedAwsError('InternalServiceError', 500), {
      when: (input) => input.SecretString === 'old',
    })
    const err = await defineWorkflow('wf', [updateRepositoryCredentials]).run(scope).catch((e: unknown) => e)
    const { report, status } = err as WorkflowFailedError
    expect(status).toBe(409)
    expect(report.failedStep).toBe('update-repository-credentials')
    expect(report.rolledBack).toEqual([])
    expect(report.rollbackFailures.map((f) => f.step)).toEqual(['update-repository-credentials'])
    expect((err as WorkflowFailedError).message).toContain('rollback incomplete')
    // The other undo still ran: the secret made is gone.
    expect(await secretNames(secrets)).toEqual([`${PREFIX}api`, `${PREFIX}taken`])
    expect(await valueOf(secrets, apiArn)).toBe('new')
  })
})

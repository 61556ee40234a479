import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { rememberingLeftovers, type LeftoverScope, type Leftover } from '../../../src/workflows/rollback-finish.js'
import { defineWorkflow, WorkflowFailedError, type Step } from '../../../src/workflows/engine.js'
import {
  createRepositoryCredentials,
  type CredentialsScope,
} from '../../../src/workflows/steps/create-repository-credentials.js'
import { TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { failAfter, failSdkCall, injectedAwsError, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

const PREFIX = `spinup/${TEST_ORG}/${SPACE}/`
type Secrets = ReturnType<typeof moto>['secrets']
async function secretNames(secrets: Secrets): Promise<string[]> {
  const out = await secrets.send(new ListSecretsCommand({}))
  return (out.SecretList ?? []).map((s) => s.Name ?? '').sort()
}
async function scopeWith(credentials: CredentialsScope['credentials']): Promise<CredentialsScope> {
  return { ...(await testScope()), credentials }
}

describe('create-repository-credentials', () => {
  it('creates spinup/<org>/<cluster>/<name> per container (name defaults to the container) with the run tags', async () => {
    const { secrets } = moto()
    const scope = await scopeWith({
      api: { Name: 'api-cred', SecretString: '{"username":"u","password":"p"}', Description: 'd' },
      worker: { SecretString: '{"username":"w","password":"q"}' },
    })
    const result = await defineWorkflow('wf', [createRepositoryCredentials]).run(scope)
    const out = result.outputOf(createRepositoryCredentials)
    expect(Object.keys(out.arns).sort()).toEqual(['api', 'worker'])
    expect(out.results.api).toMatchObject({ ARN: out.arns.api, Name: `${PREFIX}api-cred` })
    expect(await secretNames(secrets)).toEqual([`${PREFIX}api-cred`, `${PREFIX}worker`])

    const described = await secrets.send(new DescribeSecretCommand({ SecretId: out.arns.api }))
    expect(described.Description).toBe('d')
    expect(described.Tags).toContainEqual({ Key: 'spinup:org', Value: TEST_ORG })
    expect(described.Tags).toContainEqual({ Key: 'spinup:flavor', Value: 'task' })
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: out.arns.worker }))
    expect(value.SecretString).toBe('{"username":"w","password":"q"}')
  })

  it('skips when there are no credentials', async () => {
    const result = await defineWorkflow('wf', [createRepositoryCredentials]).run(await scopeWith(undefined))
    expect(result.outputOf(createRepositoryCredentials)).toEqual({ arns: {}, results: {} })
  })

  it('rollback force-deletes every secret it created', async () => {
    const { secrets } = moto()
    const scope = await scopeWith({ a: { SecretString: 'x' }, b: { SecretString: 'y' } })
    const err = await defineWorkflow('wf', [createRepositoryCredentials, failAfter(createRepositoryCredentials)])
      .run(scope)
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['create-repository-credentials'])
    expect(await secretNames(secrets)).toEqual([])
  })

  it('when one create fails (the name is taken), deletes the secrets it made and leaves the existing one', async () => {
    const { secrets } = moto()
    await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}taken`, SecretString: 'keep me' }))
    const scope = await scopeWith({
      a: { SecretString: 'x' },
      b: { Name: 'taken', SecretString: 'y' },
      c: { SecretString: 'z' },
    })
    const err = await defineWorkflow('wf', [createRepositoryCredentials]).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    expect((err as WorkflowFailedError).status).toBe(409)
    expect(await secretNames(secrets)).toEqual([`${PREFIX}taken`])
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: `${PREFIX}taken` }))
    expect(value.SecretString).toBe('keep me')
  })

  it('when one create fails and deleting a secret it made fails too (injected DeleteSecret failure), the rollback reports it and hands it over', async () => {
    const { secrets } = moto()
    await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}taken`, SecretString: 'keep me' }))
    const leftovers: Leftover[] = []
    const scope: CredentialsScope & LeftoverScope = {
      ...(await scopeWith({ a: { SecretString: 'x' }, b: { Name: 'taken', SecretString: 'y' } })),
      leftovers,
    }
    failSdkCall(scope.account, 'secretsManager', 'DeleteSecret', injectedAwsError('InternalServiceError', 500), { times: 1 })
    const err = await defineWorkflow('wf', rememberingLeftovers([createRepositoryCredentials as Step<unknown, unknown, typeof scope>])).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    const { report, status } = err as WorkflowFailedError
    expect(status).toBe(409)
    expect(report.failedStep).toBe('create-repository-credentials')
    expect(report.rolledBack).toEqual([])
    expect(report.rollbackFailures.map((f) => f.step)).toEqual(['create-repository-credentials'])
    // The secret it made is still there, and it is what the retry gets.
    expect(await secretNames(secrets)).toEqual([`${PREFIX}a`, `${PREFIX}taken`])
    expect(leftovers).toHaveLength(1)
    const [leftover] = leftovers
    expect(leftover?.step).toBe('create-repository-credentials')
    await createRepositoryCredentials.compensate?.(leftover?.compensation as string[], { scope })
    expect(await secretNames(secrets)).toEqual([`${PREFIX}taken`])
  })

  it('when one create fails, the rollback reports the secrets it made as rolled back', async () => {
    const { secrets } = moto()
    await secrets.send(new CreateSecretCommand({ Name: `${PREFIX}taken`, SecretString: 'keep me' }))
    const scope = await scopeWith({ a: { SecretString: 'x' }, b: { Name: 'taken', SecretString: 'y' } })
    const err = await defineWorkflow('wf', [createRepositoryCredentials]).run(scope).catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['create-repository-credentials'])
    expect(await secretNames(secrets)).toEqual([`${PREFIX}taken`])
  })
})

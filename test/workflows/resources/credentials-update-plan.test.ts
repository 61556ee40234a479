import type { RepositoryCredentials } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { planCredentialUpdate, withCurrentCredentials } from '../../../src/workflows/resources/credentials-update-plan.js'

const PREFIX = 'spinup/org/space/'
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`
const withCreds = (name: string, secret?: string) => ({ name, image: 'x', ...(secret ? { repositoryCredentials: { credentialsParameter: secret } } : {}) })
/** A container that sends `"repositoryCredentials": {}` (the codec passes it on; the SDK type calls the ARN required). */
const dropping = (name: string) => ({ name, image: 'x', repositoryCredentials: {} as RepositoryCredentials })

describe('repository credentials update plan', () => {
  const current = [
    withCreds('left-out', arn(`${PREFIX}left-out`)),
    withCreds('drop', arn(`${PREFIX}drop`)),
    withCreds('drop-with-entry', arn(`${PREFIX}drop-with-entry`)),
    withCreds('keep', arn(`${PREFIX}keep`)),
    withCreds('put', arn(`${PREFIX}put`)),
    withCreds('forced', arn(`${PREFIX}forced`)),
    withCreds('legacy', arn('legacy/login')),
    withCreds('removed', arn(`${PREFIX}removed`)),
  ]
  const input = [
    withCreds('left-out'),
    dropping('drop'),
    dropping('drop-with-entry'),
    withCreds('keep', arn(`${PREFIX}keep`)),
    withCreds('put'),
    withCreds('forced', arn(`${PREFIX}elsewhere`)),
    withCreds('legacy'),
    withCreds('fresh'),
    withCreds('plain'),
    dropping('never-had'),
  ]
  const credentials = {
    'drop-with-entry': { SecretString: 'kept' },
    put: { SecretString: 'new' },
    legacy: { SecretString: 'moved' },
    fresh: { Name: 'fresh-cred', SecretBinary: new Uint8Array([1]) },
  }

  it('covers every case, by container name: a secret is kept unless the body drops it with {}', () => {
    const plan = planCredentialUpdate(current, input, credentials, PREFIX)
    expect(plan.actions).toEqual([
      { kind: 'keep', container: 'left-out', arn: arn(`${PREFIX}left-out`) },
      { kind: 'put', container: 'drop-with-entry', arn: arn(`${PREFIX}drop-with-entry`), value: { SecretString: 'kept' } },
      { kind: 'keep', container: 'keep', arn: arn(`${PREFIX}keep`) },
      { kind: 'put', container: 'put', arn: arn(`${PREFIX}put`), value: { SecretString: 'new' } },
      { kind: 'keep', container: 'forced', arn: arn(`${PREFIX}forced`) },
      { kind: 'migrate', container: 'legacy', oldArn: arn('legacy/login'), entry: { SecretString: 'moved' } },
      { kind: 'create', container: 'fresh', entry: { Name: 'fresh-cred', SecretBinary: new Uint8Array([1]) } },
    ])
    // A container that is gone from the new revision keeps its secret for the older revisions.
    expect(plan.retire).toEqual([arn(`${PREFIX}drop`), arn('legacy/login')])
  })

  it('plans the same for the body as sent and for the body with the rule applied (what validation sees)', () => {
    const resolved = withCurrentCredentials(current, input)
    expect(resolved.find((c) => c.name === 'left-out')?.repositoryCredentials).toEqual({ credentialsParameter: arn(`${PREFIX}left-out`) })
    expect(resolved.find((c) => c.name === 'forced')?.repositoryCredentials).toEqual({ credentialsParameter: arn(`${PREFIX}forced`) })
    expect(resolved.find((c) => c.name === 'drop')?.repositoryCredentials).toEqual({})
    expect(resolved.find((c) => c.name === 'plain')?.repositoryCredentials).toBeUndefined()
    expect(planCredentialUpdate(current, resolved, credentials, PREFIX)).toEqual(planCredentialUpdate(current, input, credentials, PREFIX))
  })

  it('migrates a secret outside the path without an entry by copying it', () => {
    const plan = planCredentialUpdate([withCreds('a', arn('old'))], [withCreds('a', arn('old'))], undefined, PREFIX)
    expect(plan.actions).toEqual([{ kind: 'migrate', container: 'a', oldArn: arn('old'), entry: undefined }])
  })
})

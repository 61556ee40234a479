import { describe, expect, it } from 'vitest'
import { planCredentialUpdate } from '../../../src/domain/taskdefs/credentials-update-plan.js'

const PREFIX = 'spinup/org/space/'
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`
const withCreds = (name: string, secret?: string) => ({ name, image: 'x', ...(secret ? { repositoryCredentials: { credentialsParameter: secret } } : {}) })

describe('repository credentials update plan', () => {
  it('covers every case, by container name', () => {
    const current = [
      withCreds('drop', arn(`${PREFIX}drop`)),
      withCreds('keep', arn(`${PREFIX}keep`)),
      withCreds('put', arn(`${PREFIX}put`)),
      withCreds('forced', arn(`${PREFIX}forced`)),
      withCreds('legacy', arn('legacy/login')),
      withCreds('removed', arn(`${PREFIX}removed`)),
    ]
    const input = [
      withCreds('drop'),
      withCreds('keep', arn(`${PREFIX}keep`)),
      withCreds('put'),
      withCreds('forced', arn(`${PREFIX}elsewhere`)),
      withCreds('legacy'),
      withCreds('fresh'),
      withCreds('plain'),
    ]
    const plan = planCredentialUpdate(
      current,
      input,
      { put: { SecretString: 'new' }, legacy: { SecretString: 'moved' }, fresh: { Name: 'fresh-cred', SecretBinary: new Uint8Array([1]) } },
      PREFIX,
    )
    expect(plan.actions).toEqual([
      { kind: 'keep', container: 'keep', arn: arn(`${PREFIX}keep`) },
      { kind: 'put', container: 'put', arn: arn(`${PREFIX}put`), value: { SecretString: 'new' } },
      { kind: 'keep', container: 'forced', arn: arn(`${PREFIX}forced`) },
      { kind: 'migrate', container: 'legacy', oldArn: arn('legacy/login'), entry: { SecretString: 'moved' } },
      { kind: 'create', container: 'fresh', entry: { Name: 'fresh-cred', SecretBinary: new Uint8Array([1]) } },
    ])
    // A container that is gone from the new revision keeps its secret for the older revisions.
    expect(plan.retire).toEqual([arn(`${PREFIX}drop`), arn('legacy/login')])
  })

  it('migrates a secret outside the path without an entry by copying it', () => {
    const plan = planCredentialUpdate([withCreds('a', arn('old'))], [withCreds('a', arn('old'))], undefined, PREFIX)
    expect(plan.actions).toEqual([{ kind: 'migrate', container: 'a', oldArn: arn('old'), entry: undefined }])
  })
})

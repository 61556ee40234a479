/**
 * Secrets replicated to other regions (`AddReplicaRegions`): Secrets Manager refuses to delete a
 * secret that still has replicas, so a deletion removes them first, through the org route and when
 * the orchestrations delete repository-credential secrets.
 */
import { CreateSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it, onTestFinished } from 'vitest'
import { credentialSecrets } from '../../src/aws/credential-secrets.js'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { MOTO_CREDENTIALS, motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

const REPLICA_REGION = 'us-west-2'

function secretsManager(region?: string): SecretsManagerClient {
  const client = new SecretsManagerClient(motoClientConfig(motoEndpoint(), MOTO_CREDENTIALS, region))
  onTestFinished(() => client.destroy())
  return client
}

/** The secret as Secrets Manager has it in `region`, or undefined when it is gone there. */
async function described(id: string, region?: string) {
  try {
    return await secretsManager(region).send(new DescribeSecretCommand({ SecretId: id }))
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined
    throw err
  }
}

async function createReplicated(name: string, org: string): Promise<{ arn: string; replicaArn: string }> {
  const out = await secretsManager().send(
    new CreateSecretCommand({
      Name: name,
      SecretString: 'replicated-value',
      Tags: [{ Key: 'spinup:org', Value: org }],
      AddReplicaRegions: [{ Region: REPLICA_REGION }],
    }),
  )
  const arn = out.ARN!
  const replicaArn = arn.replace(':us-east-1:', `:${REPLICA_REGION}:`)
  expect((await described(replicaArn, REPLICA_REGION))?.PrimaryRegion).toBe('us-east-1')
  return { arn, replicaArn }
}

describe('DELETE /secrets/{secret} of a replicated secret', () => {
  it('removes the replicas, then schedules the deletion (or deletes at once with window=0)', async () => {
    const app = await buildTestApp()
    const created = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/secrets',
      headers: authHeaders,
      payload: { Name: 'replicated', SecretString: 'v', AddReplicaRegions: [{ Region: REPLICA_REGION }] },
    })
    expect(created.statusCode, created.body).toBe(200)
    expect(created.json().ReplicationStatus).toEqual([expect.objectContaining({ Region: REPLICA_REGION })])
    const replicaArn = (created.json().ARN as string).replace(':us-east-1:', `:${REPLICA_REGION}:`)

    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/secrets/replicated', headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Name).toBe('replicated')
    const primary = await described('replicated')
    expect(primary?.DeletedDate).toBeInstanceOf(Date)
    expect(primary?.ReplicationStatus ?? []).toEqual([])
    expect(await described(replicaArn, REPLICA_REGION)).toBeUndefined()

    const now = await createReplicated('replicated-now', TEST_ORG)
    const res0 = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/secrets/replicated-now?window=0', headers: authHeaders })
    expect(res0.statusCode, res0.body).toBe(200)
    expect(await described(now.arn)).toBeUndefined()
    expect(await described(now.replicaArn, REPLICA_REGION)).toBeUndefined()
  })

  it("is a 404 for another org's replicated secret, whose replicas stay", async () => {
    const app = await buildTestApp()
    const theirs = await createReplicated('theirs', 'otherorg')
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/secrets/theirs?window=0', headers: authHeaders })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('NotFound')
    expect(res.json().detail).toContain('secret theirs not found')
    expect((await described(theirs.arn))?.ReplicationStatus).toEqual([expect.objectContaining({ Region: REPLICA_REGION })])
    expect(await described(theirs.replicaArn, REPLICA_REGION)).toBeDefined()
  })
})

describe('repository-credential secrets', () => {
  it('a forced delete removes the replicas first; an absent secret is fine', async () => {
    const app = await buildTestApp()
    const { arn, replicaArn } = await createReplicated(`spinup/${TEST_ORG}/space1/cred`, TEST_ORG)
    // The account's instrumented client: AWS errors arrive translated, as in the orchestrations.
    const secrets = credentialSecrets(app.accounts.get('main')!.clients.secretsManager)
    await secrets.forceDelete(arn)
    expect(await described(arn)).toBeUndefined()
    expect(await described(replicaArn, REPLICA_REGION)).toBeUndefined()
    await secrets.forceDelete(arn)
  })
})

import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs'
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@smithy/types'
import { describe, expect, it } from 'vitest'

import {
  MOTO_DEFAULT_ACCOUNT,
  defaultVpcResources,
  motoClientConfig,
  motoEndpoint,
  resetMoto,
  setTaskTransition,
  useMotoReset,
} from './index.js'

const OTHER_ACCOUNT = '111111111111'
const ROLE_ARN = `arn:aws:iam::${OTHER_ACCOUNT}:role/ecs-api`

async function assumeRole(endpoint: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient(motoClientConfig(endpoint))
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'harness-test' }))
    const c = out.Credentials!
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }
  } finally {
    sts.destroy()
  }
}

async function clusterArns(ecs: ECSClient): Promise<string[]> {
  return (await ecs.send(new ListClustersCommand({}))).clusterArns ?? []
}

describe('moto harness', () => {
  useMotoReset()

  it('provides a loopback endpoint', () => {
    expect(motoEndpoint()).toMatch(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/)
  })

  it('resetMoto wipes state', async () => {
    const endpoint = motoEndpoint()
    const ssm = new SSMClient(motoClientConfig(endpoint))
    try {
      await ssm.send(new PutParameterCommand({ Name: '/harness/p', Value: 'v1', Type: 'String' }))
      const got = await ssm.send(new GetParameterCommand({ Name: '/harness/p' }))
      expect(got.Parameter?.Value).toBe('v1')

      await resetMoto(endpoint)

      await expect(ssm.send(new GetParameterCommand({ Name: '/harness/p' }))).rejects.toMatchObject({
        name: 'ParameterNotFound',
      })
    } finally {
      ssm.destroy()
    }
  })

  it('useMotoReset gives each test an empty moto', async () => {
    // The previous test left nothing behind, and this one starts empty too.
    const ssm = new SSMClient(motoClientConfig(motoEndpoint()))
    try {
      await expect(ssm.send(new GetParameterCommand({ Name: '/harness/p' }))).rejects.toMatchObject({
        name: 'ParameterNotFound',
      })
    } finally {
      ssm.destroy()
    }
  })

  it('AssumeRole switches the account: resources are isolated per account', async () => {
    const endpoint = motoEndpoint()
    const assumed = await assumeRole(endpoint)

    const stsAssumed = new STSClient(motoClientConfig(endpoint, assumed))
    const ecsAssumed = new ECSClient(motoClientConfig(endpoint, assumed))
    const ecsDefault = new ECSClient(motoClientConfig(endpoint))
    try {
      const who = await stsAssumed.send(new GetCallerIdentityCommand({}))
      expect(who.Account).toBe(OTHER_ACCOUNT)

      const created = await ecsAssumed.send(new CreateClusterCommand({ clusterName: 'acct-b' }))
      expect(created.cluster?.clusterArn).toBe(`arn:aws:ecs:us-east-1:${OTHER_ACCOUNT}:cluster/acct-b`)

      const mine = await ecsDefault.send(new CreateClusterCommand({ clusterName: 'acct-a' }))
      expect(mine.cluster?.clusterArn).toBe(`arn:aws:ecs:us-east-1:${MOTO_DEFAULT_ACCOUNT}:cluster/acct-a`)

      // Each account sees only its own cluster.
      expect(await clusterArns(ecsAssumed)).toEqual([created.cluster?.clusterArn])
      expect(await clusterArns(ecsDefault)).toEqual([mine.cluster?.clusterArn])
    } finally {
      stsAssumed.destroy()
      ecsAssumed.destroy()
      ecsDefault.destroy()
    }
  })

  it('defaultVpcResources returns subnets and security groups of the default VPC', async () => {
    const res = await defaultVpcResources(motoEndpoint(), 'us-east-1')
    expect(res.vpcId).toMatch(/^vpc-/)
    expect(res.subnets.length).toBeGreaterThanOrEqual(1)
    expect(res.securityGroups.length).toBeGreaterThanOrEqual(1)
    for (const s of res.subnets) expect(s).toMatch(/^subnet-/)
    for (const g of res.securityGroups) expect(g).toMatch(/^sg-/)
  })

  it('setTaskTransition is accepted and cleared by resetMoto', async () => {
    const endpoint = motoEndpoint()
    const get = async (): Promise<unknown> => {
      const res = await fetch(`${endpoint}/moto-api/state-manager/get-transition?model_name=ecs::task`)
      return await res.json()
    }
    const before = await get()
    await setTaskTransition(endpoint, { progression: 'manual', times: 1000 })
    expect(await get()).toEqual({ progression: 'manual', times: 1000 })
    await resetMoto(endpoint)
    expect(await get()).toEqual(before)
  })
})

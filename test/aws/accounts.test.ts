import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import { AccountRegistry } from '../../src/aws/account-clients.js'
import { DomainError } from '../../src/core/errors.js'
import { ASSUMED_ACCOUNT_ID, buildTestApp } from '../harness/app.js'
import { MOTO_DEFAULT_ACCOUNT, useMotoReset } from '../harness/index.js'

useMotoReset()

describe('per-account clients against moto', () => {
  it('acts as the static-key account and, through AssumeRole, as the second account', async () => {
    const app = await buildTestApp()
    const main = app.accounts.get('main')!.clients
    const other = app.accounts.get('other')!.clients
    expect((await main.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MOTO_DEFAULT_ACCOUNT)
    const identity = await other.sts.send(new GetCallerIdentityCommand({}))
    expect(identity.Account).toBe(ASSUMED_ACCOUNT_ID)
    expect(identity.Arn).toContain('assumed-role/ecs-api/ecs-api-test')
  })

  it('a resource created through one account is invisible through the other', async () => {
    const app = await buildTestApp()
    const main = app.accounts.get('main')!.clients
    const other = app.accounts.get('other')!.clients
    const created = await other.ecs.send(new CreateClusterCommand({ clusterName: 'only-in-other' }))
    expect(created.cluster?.clusterArn).toContain(`:${ASSUMED_ACCOUNT_ID}:cluster/only-in-other`)
    await main.ecs.send(new CreateClusterCommand({ clusterName: 'only-in-main' }))

    const mainArns = (await main.ecs.send(new ListClustersCommand({}))).clusterArns ?? []
    const otherArns = (await other.ecs.send(new ListClustersCommand({}))).clusterArns ?? []
    expect(mainArns.map((a) => a.split('/').pop())).toEqual(['only-in-main'])
    expect(otherArns.map((a) => a.split('/').pop())).toEqual(['only-in-other'])
    const missing = await main.ecs.send(new DescribeClustersCommand({ clusters: ['only-in-other'] }))
    expect(missing.failures?.[0]?.reason).toBe('MISSING')
  })

  it('creates clients lazily, reuses them, and assumes the role once for all of them', async () => {
    const app = await buildTestApp()
    const other = app.accounts.get('other')!.clients
    expect(other.ecs).toBe(other.ecs)
    await Promise.all([other.ecs.send(new ListClustersCommand({})), other.sts.send(new GetCallerIdentityCommand({}))])
    await other.ecs.send(new ListClustersCommand({}))
    const calls = await app.metrics.registry.getSingleMetricAsString('ecs_api_aws_calls_total')
    expect(calls).toContain('service="ECS",operation="ListClusters",outcome="ok"} 2')
    // The role is assumed once, and that call is counted like any other.
    expect(calls).toContain('service="STS",operation="AssumeRole",outcome="ok"} 1')
  })

  it('translates AWS errors into domain errors at the client boundary', async () => {
    const app = await buildTestApp()
    const main = app.accounts.get('main')!.clients
    const { DeleteRoleCommand } = await import('@aws-sdk/client-iam')
    const err = await main.iam.send(new DeleteRoleCommand({ RoleName: 'no-such-role' })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).status).toBe(404)
    expect((err as DomainError).message).toMatch(/^IAM\.DeleteRole: NoSuchEntity/)
  })

  it('reports an unreachable AWS endpoint as 503', async () => {
    const registry = new AccountRegistry(new Map([['down', { region: 'us-east-1', akid: 'a', secret: 'b', endpoint: 'http://127.0.0.1:9' }]]))
    const err = await registry.get('down')!.clients.ecs.send(new ListClustersCommand({})).catch((e: unknown) => e)
    registry.destroy()
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).status).toBe(503)
  })
})

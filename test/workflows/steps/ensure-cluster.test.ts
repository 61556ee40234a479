import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { defineStep, defineWorkflow, WorkflowFailedError } from '../../../src/workflows/engine.js'
import { ensureCluster, type ClusterScope } from '../../../src/workflows/steps/ensure-cluster.js'
import { TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { failAfter, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

async function describeSpace(ecs: ReturnType<typeof moto>['ecs']) {
  const out = await ecs.send(new DescribeClustersCommand({ clusters: [SPACE], include: ['TAGS'] }))
  return out.clusters?.[0]
}

describe('ensure-cluster', () => {
  it('creates a missing cluster with FARGATE + FARGATE_SPOT, the default strategy and the cleaned tags', async () => {
    const { ecs } = moto()
    const scope: ClusterScope = { ...(await testScope()), cluster: { clusterName: SPACE, settings: [{ name: 'containerInsights', value: 'enabled' }] } }
    const result = await defineWorkflow('wf', [ensureCluster]).run(scope)
    expect(result.outputOf(ensureCluster).clusterName).toBe(SPACE)

    const cluster = await describeSpace(ecs)
    expect(cluster?.status).toBe('ACTIVE')
    expect(cluster?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT'])
    expect(cluster?.defaultCapacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE', base: 1, weight: 0 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
    ])
    // Client settings pass through; nothing is injected.
    expect(cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }])
    expect(cluster?.tags).toEqual([
      { key: 'spinup:org', value: TEST_ORG },
      { key: 'spinup:spaceid', value: SPACE },
      { key: 'spinup:type', value: 'container' },
      { key: 'spinup:flavor', value: 'task' },
      { key: 'Application', value: 'demo' },
    ])
  })

  it('rollback deletes the cluster it created', async () => {
    const { ecs } = moto()
    const err = await defineWorkflow('wf', [ensureCluster, failAfter(ensureCluster)])
      .run(await testScope())
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['ensure-cluster'])
    // ECS keeps deleted clusters visible as INACTIVE.
    expect((await describeSpace(ecs))?.status).toBe('INACTIVE')
  })

  it('reuses an ACTIVE cluster of the org without changing it, and rollback leaves it alone', async () => {
    const { ecs } = moto()
    await ecs.send(
      new CreateClusterCommand({
        clusterName: SPACE,
        tags: [{ key: 'spinup:org', value: TEST_ORG }, { key: 'owner', value: 'someone' }],
        capacityProviders: ['FARGATE'],
      }),
    )
    const before = await describeSpace(ecs)
    const err = await defineWorkflow('wf', [ensureCluster, failAfter(ensureCluster)])
      .run(await testScope())
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.nothingToUndo).toEqual(['ensure-cluster'])
    expect(await describeSpace(ecs)).toEqual(before)
  })

  it('refuses (404) an ACTIVE cluster of another org and leaves it untouched', async () => {
    const { ecs } = moto()
    await ecs.send(new CreateClusterCommand({ clusterName: SPACE, tags: [{ key: 'spinup:org', value: 'otherorg' }] }))
    const before = await describeSpace(ecs)
    const err = await defineWorkflow('wf', [ensureCluster]).run(await testScope()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    expect((err as WorkflowFailedError).status).toBe(404)
    expect(await describeSpace(ecs)).toEqual(before)
  })

  it("takes the request's lookup instead of describing again: a cluster it found is reused untouched", async () => {
    const { ecs } = moto()
    // Not in moto: had the step described the cluster itself, it would have created one.
    const found = { clusterName: SPACE, clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/${SPACE}`, status: 'ACTIVE' }
    const scope: ClusterScope = { ...(await testScope()), clusterLookup: { found } }
    const err = await defineWorkflow('wf', [ensureCluster, failAfter(ensureCluster)])
      .run(scope)
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.nothingToUndo).toEqual(['ensure-cluster'])
    expect(await describeSpace(ecs)).toBeUndefined()
    expect((await defineWorkflow('wf', [ensureCluster]).run(scope)).outputOf(ensureCluster)).toBe(found)
  })

  it("takes the request's lookup that found none: creates the cluster, and rollback deletes it", async () => {
    const { ecs } = moto()
    const scope: ClusterScope = { ...(await testScope()), clusterLookup: { found: undefined } }
    expect((await defineWorkflow('wf', [ensureCluster]).run(scope)).outputOf(ensureCluster).status).toBe('ACTIVE')
    expect((await describeSpace(ecs))?.status).toBe('ACTIVE')
    await ecs.send(new DeleteClusterCommand({ cluster: SPACE }))
    const err = await defineWorkflow('wf', [ensureCluster, failAfter(ensureCluster)])
      .run(scope)
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['ensure-cluster'])
    expect((await describeSpace(ecs))?.status).toBe('INACTIVE')
  })

  it('creates the cluster again when the old one was deleted (INACTIVE)', async () => {
    const { ecs } = moto()
    const scope = await testScope()
    await defineWorkflow('wf', [ensureCluster, failAfter(ensureCluster)]).run(scope).catch(() => undefined)
    expect((await describeSpace(ecs))?.status).toBe('INACTIVE')
    await defineWorkflow('wf', [ensureCluster]).run(scope)
    expect((await describeSpace(ecs))?.status).toBe('ACTIVE')
  })

  /** A task definition of the org's space, as a create of the space registers it. */
  async function spaceTaskDefinition(ecs: ReturnType<typeof moto>['ecs'], family: string): Promise<void> {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: 'main', image: 'busybox', memory: 128 }],
        tags: [
          { key: 'spinup:org', value: TEST_ORG },
          { key: 'spinup:spaceid', value: SPACE },
          { key: 'spinup:type', value: 'container' },
          { key: 'spinup:flavor', value: 'task' },
        ],
      }),
    )
  }

  it("rollback keeps the cluster it created when another family's task definition lives in it by then", async () => {
    const { ecs } = moto()
    const scope = await testScope()
    const inUse = defineStep({
      id: 'other-request',
      dependsOn: [ensureCluster],
      invoke: async () => {
        await spaceTaskDefinition(ecs, 'other')
        return { output: undefined }
      },
      noCompensation: true,
    })
    const err = await defineWorkflow('wf', [ensureCluster, inUse, failAfter(inUse)]).run(scope).catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.failedStep).toBe('fail-after')
    expect((await describeSpace(ecs))?.status).toBe('ACTIVE')
  })

  it("rollback still deletes the cluster when only the run's own family is in it", async () => {
    const { ecs } = moto()
    const scope = { ...(await testScope()), taskDefinition: { family: 'mine', containerDefinitions: [] } }
    const own = defineStep({
      id: 'own-revision',
      dependsOn: [ensureCluster],
      invoke: async () => {
        await spaceTaskDefinition(ecs, 'mine')
        return { output: undefined }
      },
      noCompensation: true,
    })
    const err = await defineWorkflow('wf', [ensureCluster, own, failAfter(own)]).run(scope).catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['ensure-cluster'])
    expect((await describeSpace(ecs))?.status).toBe('INACTIVE')
  })
})

/**
 * Step `ensure-cluster`: reuse the org's ACTIVE cluster of the space, else create it with FARGATE and
 * FARGATE_SPOT capacity providers and the default strategy (one task on FARGATE, the rest on SPOT).
 *
 * Usage: list `ensureCluster` in a workflow whose scope is a `ClusterScope` (a `SpaceScope` plus the
 * client's CreateCluster fields in `cluster`, and the request's own lookup of the cluster in
 * `clusterLookup` when it made one). Output: the ECS `Cluster`. Rollback deletes the cluster only when
 * this run created it; a reused cluster is never touched (the step reports `skipped`).
 */
import type { Cluster, CreateClusterCommandInput } from '@aws-sdk/client-ecs'
import { ecsApi } from '../../aws/ecs.js'
import { deleteClusterWithRetry } from '../../domain/cleanup/delete-cluster.js'
import { findReusableCluster } from '../../domain/spaces/clusters.js'
import { toEcsTags } from '../../domain/tags.js'
import { defineStep, type StepContext } from '../step.js'
import type { SpaceScope } from './space-scope.js'

export const ENSURE_CLUSTER_STEP = 'ensure-cluster'

export interface ClusterScope extends SpaceScope {
  /** The client's CreateCluster input (name and tags are ours; other fields such as settings pass through). */
  readonly cluster?: CreateClusterCommandInput | undefined
  /**
   * What the request's checks found just before the run (`findReusableCluster`, or
   * `requireOrgCluster` when the cluster must exist): the org's live cluster, or `found: undefined`
   * when there is none. Given, the step takes it instead of describing the cluster a second time
   * (one AWS round trip less before CreateCluster); absent, the step looks itself.
   */
  readonly clusterLookup?: { readonly found: Cluster | undefined } | undefined
}

export const DEFAULT_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT']
export const DEFAULT_CAPACITY_PROVIDER_STRATEGY = [
  { capacityProvider: 'FARGATE', base: 1, weight: 0 },
  { capacityProvider: 'FARGATE_SPOT', weight: 1 },
]

/** The CreateCluster input: the client's fields, our name and tags, and the Fargate defaults. */
export function createClusterInput(scope: ClusterScope): CreateClusterCommandInput {
  const given = scope.cluster ?? {}
  return {
    ...given,
    clusterName: scope.clusterName,
    tags: toEcsTags(scope.tags),
    capacityProviders: given.capacityProviders ?? DEFAULT_CAPACITY_PROVIDERS,
    defaultCapacityProviderStrategy: given.defaultCapacityProviderStrategy ?? DEFAULT_CAPACITY_PROVIDER_STRATEGY,
  }
}

export const ensureCluster = defineStep({
  id: ENSURE_CLUSTER_STEP,
  async invoke(ctx: StepContext<ClusterScope>) {
    const ecs = ecsApi(ctx.scope.account.clients.ecs)
    // Describe first (or take the request's lookup made just before): CreateCluster on an existing
    // name may replace it (moto) or return it (AWS), and either way this run must not later delete a
    // cluster it did not make. Both lookups refuse (404) a live cluster of another org.
    const lookup = ctx.scope.clusterLookup
    const existing = lookup ? lookup.found : await findReusableCluster(ecs, ctx.scope.clusterName, ctx.scope.org)
    if (existing) return { output: existing, skipped: true as const }
    const created: Cluster = await ecs.createCluster(createClusterInput(ctx.scope))
    return { output: created, compensation: { clusterName: ctx.scope.clusterName } }
  },
  async compensate({ clusterName }: { clusterName: string }, ctx) {
    await deleteClusterWithRetry(ecsApi(ctx.scope.account.clients.ecs), clusterName, { budgetMs: 60_000 })
  },
})

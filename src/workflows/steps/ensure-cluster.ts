/**
 * Step `ensure-cluster`: reuse the org's ACTIVE cluster of the space, else create it with FARGATE and
 * FARGATE_SPOT capacity providers and the default strategy (one task on FARGATE, the rest on SPOT).
 *
 * Usage: list `ensureCluster` in a workflow whose scope is a `ClusterScope` (a `SpaceScope` plus the
 * client's CreateCluster fields in `cluster`, and the request's own lookup of the cluster in
 * `clusterLookup` when it made one). Output: the ECS `Cluster`. Rollback deletes the cluster only when
 * this run created it and nothing else uses it by then; a reused cluster is never touched (the step
 * reports `skipped`).
 */
import type { Cluster, CreateClusterCommandInput } from '@aws-sdk/client-ecs'
import { ecsApi } from '../../aws/ecs.js'
import { clusterInUse } from '../cleanup/clean-up-space.js'
import { deleteClusterWithRetry } from '../cleanup/delete-cluster.js'
import { findReusableCluster } from '../../core/clusters.js'
import { toEcsTags } from '../../core/tags.js'
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

/**
 * What the rollback needs: the cluster, and the family and service this run creates (when it creates
 * them), which do not count as other users of the cluster (their own undo may have failed; they are
 * then retried beside it). Stored in `rollback.finish` operations, so it stays plain JSON; `family`
 * and `service` may be missing in older ones.
 */
export interface ClusterCompensation {
  clusterName: string
  family?: string | undefined
  service?: string | undefined
}

/** `scope[key][field]` when it is a string: the run's own task definition family or service name. */
function nameIn(scope: ClusterScope, key: 'taskDefinition' | 'service', field: 'family' | 'serviceName'): string | undefined {
  const part: unknown = (scope as unknown as Record<string, unknown>)[key]
  if (typeof part !== 'object' || part === null) return undefined
  const value: unknown = (part as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : undefined
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
    const compensation: ClusterCompensation = {
      clusterName: ctx.scope.clusterName,
      family: nameIn(ctx.scope, 'taskDefinition', 'family'),
      service: nameIn(ctx.scope, 'service', 'serviceName'),
    }
    return { output: created, compensation }
  },
  async compensate({ clusterName, family, service }: ClusterCompensation, ctx) {
    const { account, org } = ctx.scope
    const ecs = ecsApi(account.clients.ecs)
    const cluster = await ecs.describeCluster(clusterName)
    if (!cluster || cluster.status === 'INACTIVE') return
    // "Created by this run" is not "used only by this run": two creates in a new space both find no
    // cluster, both call CreateCluster (which answers the existing cluster to the second), and both
    // count it as theirs. When one of them fails, the other's service or task definition may live in
    // that cluster, so it is deleted only when nothing but this run's own family and service is left
    // in it; kept, it belongs to the space like any cluster a request reused. A create that registers
    // after this check can still race the delete; the check narrows that window, it cannot close it.
    const own = { activeServices: cluster.activeServicesCount ?? 0, exceptFamily: family, exceptService: service }
    if (await clusterInUse(account, org, clusterName, own)) return
    await deleteClusterWithRetry(ecs, clusterName, { budgetMs: 60_000 })
  },
})

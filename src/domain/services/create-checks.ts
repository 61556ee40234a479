import type { Cluster, TaskDefinition } from '@aws-sdk/client-ecs'
import type { RegistryService } from '../../aws/service-discovery.js'
import { findReusableCluster, requireOrgCluster } from '../../core/clusters.js'
import { ConflictError } from '../../core/errors.js'
import { assertFamilyFree } from '../taskdefs/family-check.js'
import type { ServiceContext } from './context.js'
import type { CreateServicePlan } from './create-input.js'
import { requireSpaceRevision } from './find-service.js'
import { requireNamedResources } from './named-resources.js'
import { startSpaceReadsNext } from '../../workflows/steps/space-reads.js'
import type { SpaceScope } from '../../workflows/steps/space-scope.js'

/**
 * The checks that need AWS but write nothing: the cluster is the org's (or free to create), no live
 * service of that name exists in it, an existing task definition is the space's and a new one's
 * family is free for this space's services, and named registries and target groups are the org's.
 * Answers the cluster found (for the cluster step, which then does not look again), the task
 * definition and the named registry (for the registry step, likewise). For a new task definition the
 * space's role and log group steps' lookups start beside the checks (`reads`, for the run): they are
 * reads too, so a failed check has still changed nothing.
 */
export async function checkExisting(
  ctx: ServiceContext,
  plan: CreateServicePlan,
  /** The run's space: given by a create that will run (a dry run reads the role and log group itself). */
  space?: SpaceScope,
): Promise<{
  cluster: Cluster | undefined
  taskDefinition: TaskDefinition | undefined
  registry: RegistryService | undefined
  reads: ReadonlyMap<string, Promise<unknown>> | undefined
}> {
  const name = plan.service.serviceName ?? ''
  // A cluster that must exist has its services looked up alongside it (its answer is read only once
  // the cluster proved the org's); one the request may create is not, so a new space costs no
  // DescribeServices on a missing cluster.
  const services = plan.cluster ? undefined : ctx.services.describe(plan.clusterName, [name])
  // Its rejection is rethrown where it is awaited; this keeps it from being unhandled meanwhile.
  services?.catch(() => undefined)
  const pending = Promise.allSettled([
    plan.cluster ? findReusableCluster(ctx.ecs, plan.clusterName, ctx.org) : requireOrgCluster(ctx.ecs, plan.clusterName, ctx.org),
    plan.existingTaskDefinition ? requireSpaceRevision(ctx, plan.existingTaskDefinition, plan.clusterName) : Promise.resolve(undefined),
    // A new revision may only continue a family of this space's services.
    plan.taskDefinition
      ? assertFamilyFree(ctx.ecs, plan.taskDefinition.family ?? '', { org: ctx.org, cluster: plan.clusterName, flavor: 'service' })
      : Promise.resolve(),
    // Registries and target groups it names are the org's (and the space's).
    requireNamedResources(ctx, plan.clusterName, 'service', plan.service),
  ])
  // Started a turn after the checks so that the checks' calls leave first: the run waits for them
  // before anything else, and an endpoint answers a burst of calls roughly in arrival order.
  const reads = space && plan.taskDefinition ? await startSpaceReadsNext(space) : undefined
  const checks = await pending
  // The cluster's answer first (a 404 for another org's), then the task definition's.
  for (const check of checks) if (check.status === 'rejected') throw check.reason
  const [clusterCheck, taskDefinitionCheck, , namedCheck] = checks
  const cluster = clusterCheck.status === 'fulfilled' ? clusterCheck.value : undefined
  const taskDefinition = taskDefinitionCheck.status === 'fulfilled' ? taskDefinitionCheck.value : undefined
  const registry = namedCheck.status === 'fulfilled' ? namedCheck.value : undefined
  if (cluster) {
    // AWS refuses a second live service of a name (moto would silently replace it): say so first.
    const same = await (services ?? ctx.services.describe(plan.clusterName, [name]))
    if (same.some((s) => s.status !== 'INACTIVE')) {
      throw new ConflictError(`service ${name} already exists in cluster ${plan.clusterName}`)
    }
  }
  return { cluster, taskDefinition, registry, reads }
}

import { requireOrgCluster } from '../../core/clusters.js'
import type { ImageChecker } from '../images/check-image.js'
import type { ServiceContext } from '../services/context.js'
import { findOrgService, serviceTaskDefinition } from '../services/find-service.js'
import { failedChecks, runChecks } from '../../workflows/preflight/run-checks.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { liveRolePolicies } from '../../workflows/plan/space-steps.js'

export interface Verification {
  /** Whether no check failed (skipped ones do not count against it). */
  Passed: boolean
  Checks: CheckResult[]
}

/** POST /services/{service}/verify: the preflight checks on what runs now (its task definition, network and load balancers). */
export async function verifyService(ctx: ServiceContext, clusterName: string, name: string, images: ImageChecker): Promise<Verification> {
  const [cluster, found] = await Promise.allSettled([requireOrgCluster(ctx.ecs, clusterName, ctx.org), findOrgService(ctx, clusterName, name)])
  // The cluster's 404 first, whichever lookup answered first.
  if (cluster.status === 'rejected') throw cluster.reason
  if (found.status === 'rejected') throw found.reason
  const service = found.value
  const taskDefinition = await serviceTaskDefinition(ctx, service.taskDefinition ?? '')
  const checks = await runChecks(
    {
      clusterName,
      taskDefinition,
      service: { networkConfiguration: service.networkConfiguration, loadBalancers: service.loadBalancers },
      rolePolicies: () => liveRolePolicies(ctx.account, taskDefinition.executionRoleArn),
      newCredentials: {},
      logGroupsCreated: new Set(),
    },
    { account: ctx.account, org: ctx.org, images },
  )
  return { Passed: failedChecks(checks).length === 0, Checks: checks }
}

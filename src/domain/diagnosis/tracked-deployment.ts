import type { Deployment as EcsDeployment, Service } from '@aws-sdk/client-ecs'
import { currentDeployment } from '../deployments/read-deployments.js'
import type { Deployment } from '../deployments/view.js'
import type { UseCaseContext } from '../use-case-context.js'
import { describedDeployment, type DeploymentSource, type DeploymentView } from '../../core/diagnosis/current-deployment.js'

const iso = (date: Date | undefined): string | null => (date ? date.toISOString() : null)

/**
 * The service's newest tracked deployment (create, update, rollback or abort through this API), with
 * its outcome and the tracker's reason, beside the rollout state. The store is read as soon as the
 * source is made, so the read runs alongside the diagnosis' first AWS round instead of after it; its
 * answer is used only once the diagnosis proved the service to be the org's. A service whose
 * deployments the API never tracked, or a store that cannot be read, gets DescribeServices' PRIMARY.
 */
export function trackedDeployment(ctx: UseCaseContext, cluster: string, service: string): DeploymentSource {
  const name = service.slice(service.lastIndexOf('/') + 1)
  const tracked = currentDeployment(ctx, cluster, name).catch((err: unknown) => {
    // Not worth failing the diagnosis over: the deployment ECS reports is still shown.
    ctx.log?.warn({ err: { message: (err as Error).message }, cluster, service: name }, 'tracked deployment not readable for the diagnosis')
    return undefined
  })
  return {
    async current(described: Service) {
      const d = await tracked
      return d ? trackedView(d, described) : describedDeployment.current(described)
    },
  }
}

/**
 * ECS's deployment of the tracked one: the one with the id ECS answered the change with, else the one
 * that rolls out the same revision (ECS may have replaced the deployment since, e.g. a new one after
 * a force-new-deployment), PRIMARY first.
 */
function ecsDeploymentOf(d: Deployment, deployments: readonly EcsDeployment[]): EcsDeployment | undefined {
  const byId = d.input.ecsDeploymentId ? deployments.find((e) => e.id === d.input.ecsDeploymentId) : undefined
  const sameRevision = deployments.filter((e) => e.taskDefinition === d.input.taskDefinition)
  return byId ?? sameRevision.find((e) => e.status === 'PRIMARY') ?? sameRevision[0]
}

/**
 * ECS's view of the same deployment, when ECS still lists it, gives the live rollout state and
 * counts (the tracker's are as of its last look); otherwise the tracker's last look is shown.
 */
export function trackedView(d: Deployment, service: Service): DeploymentView {
  const { input, progress } = d
  const ecs = ecsDeploymentOf(d, service.deployments ?? [])
  const counts = progress.counts ?? { desired: input.desiredCount, running: 0, pending: 0, failed: 0 }
  return {
    Id: d.id,
    Status: ecs?.status ?? null,
    TaskDefinition: input.taskDefinition,
    RolloutState: ecs?.rolloutState ?? progress.rolloutState ?? null,
    RolloutStateReason: ecs?.rolloutStateReason ?? null,
    DesiredCount: ecs?.desiredCount ?? counts.desired,
    RunningCount: ecs?.runningCount ?? counts.running,
    PendingCount: ecs?.pendingCount ?? counts.pending,
    FailedTasks: ecs?.failedTasks ?? counts.failed,
    CreatedAt: input.startedAt,
    UpdatedAt: iso(ecs?.updatedAt) ?? progress.finishedAt ?? null,
    EcsDeploymentId: input.ecsDeploymentId ?? null,
    Kind: input.kind,
    Outcome: progress.outcome,
    Reason: progress.reason ?? d.trackingError ?? null,
    Source: 'tracked',
  }
}

import type { Deployment, Service } from '@aws-sdk/client-ecs'

/** The service's current deployment as the diagnosis reports it. */
export interface DeploymentView {
  Id: string | null
  Status: string | null
  TaskDefinition: string | null
  RolloutState: string | null
  RolloutStateReason: string | null
  DesiredCount: number
  RunningCount: number
  PendingCount: number
  FailedTasks: number
  CreatedAt: string | null
  UpdatedAt: string | null
  /** Where this view came from: `DescribeServices`, or a tracked deployment's record. */
  Source: string
}

/**
 * TRACKED-DEPLOYMENT HOOK. Where the diagnosis learns the current deployment. Today it is read from
 * DescribeServices' `deployments` (the PRIMARY one), which needs no AWS call of its own. When the API
 * tracks deployments itself, a `DeploymentSource` that reads the tracked record (its rollout progress
 * and its own view of why it failed) is passed to `diagnoseService` instead, falling back to this one
 * for services whose deployment it did not track. It must not add an AWS round trip.
 */
export interface DeploymentSource {
  current(service: Service): Promise<DeploymentView | null>
}

function iso(date: Date | undefined): string | null {
  return date ? date.toISOString() : null
}

export function deploymentView(d: Deployment, source = 'DescribeServices'): DeploymentView {
  return {
    Id: d.id ?? null,
    Status: d.status ?? null,
    TaskDefinition: d.taskDefinition ?? null,
    RolloutState: d.rolloutState ?? null,
    RolloutStateReason: d.rolloutStateReason ?? null,
    DesiredCount: d.desiredCount ?? 0,
    RunningCount: d.runningCount ?? 0,
    PendingCount: d.pendingCount ?? 0,
    FailedTasks: d.failedTasks ?? 0,
    CreatedAt: iso(d.createdAt),
    UpdatedAt: iso(d.updatedAt),
    Source: source,
  }
}

/** The default source: the PRIMARY deployment of DescribeServices' answer. */
export const describedDeployment: DeploymentSource = {
  current(service) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY') ?? service.deployments?.[0]
    return Promise.resolve(primary ? deploymentView(primary) : null)
  },
}

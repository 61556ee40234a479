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
  /** ECS's own id of the deployment (the same as `Id` when read from DescribeServices). */
  EcsDeploymentId: string | null
  /** A tracked deployment's kind (create, update, rollback, abort); null from DescribeServices. */
  Kind: string | null
  /** A tracked deployment's outcome (IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK, ABORTED); null from DescribeServices. */
  Outcome: string | null
  /** Why a tracked deployment ended as it did; null from DescribeServices. */
  Reason: string | null
  /** Where this view came from: `DescribeServices`, or `tracked` (the deployment record the API keeps). */
  Source: string
}

/**
 * Where the diagnosis learns the current deployment: DescribeServices' `deployments` (the PRIMARY
 * one), which needs no AWS call of its own, or the deployment the API tracked (tracked-deployment.ts),
 * which reads the operations store and falls back to this one. Neither may add an AWS round trip.
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
    EcsDeploymentId: d.id ?? null,
    Kind: null,
    Outcome: null,
    Reason: null,
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

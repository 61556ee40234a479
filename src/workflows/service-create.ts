import type { Cluster, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { RegistryService } from '../aws/service-discovery.js'
import { defineWorkflow, type RunOptions, type Workflow } from './engine.js'
import { CREATE_ECS_SERVICE_STEP, createEcsServiceStep, type EcsServiceScope } from './steps/create-ecs-service.js'
import {
  createRepositoryCredentials,
  type CredentialsScope,
  type RepositoryCredentials,
} from './steps/create-repository-credentials.js'
import { createServiceRegistryStep, type ServiceRegistryScope } from './steps/create-service-registry.js'
import { ensureCluster, type ClusterScope } from './steps/ensure-cluster.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinition, type TaskDefinitionScope } from './steps/register-task-definition.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'

/**
 * The service-create workflows. Cluster, role and policy, log group, credentials and Cloud Map
 * registration do not depend on each other and run concurrently; the task definition waits only for
 * the cluster (whose ARN names the account of the role's ARN) and the credentials (whose ARNs only
 * Secrets Manager knows), not for the role and log group it names. The ECS service waits for the
 * cluster, task definition and registry, and for the role with its policy and the log group: its
 * tasks start as soon as it exists and need them to pull images, read secrets and log.
 * What the rollback of a failed create cannot undo is remembered in `leftovers` for a tracked
 * operation to finish.
 */

/** Scope of a create that references an existing task definition. */
export interface ExistingTaskDefinitionScope extends ClusterScope, ServiceRegistryScope, EcsServiceScope, LeftoverScope {
  readonly existingTaskDefinition: TaskDefinition
}

/** Scope of a create that registers a new task definition. */
export interface NewTaskDefinitionScope
  extends ClusterScope,
    CredentialsScope,
    TaskDefinitionScope,
    ServiceRegistryScope,
    EcsServiceScope,
    LeftoverScope {}

export const CREATE_SERVICE_WORKFLOW = 'create-service'

export const createServiceWorkflow: Workflow<NewTaskDefinitionScope> = defineWorkflow<NewTaskDefinitionScope>(
  CREATE_SERVICE_WORKFLOW,
  rememberingLeftovers<NewTaskDefinitionScope>([
    // In the order their first calls leave: the task definition waits for the cluster and the
    // credentials, the role's policy and the log group's retention for their creates; only the
    // ECS service waits for the registry.
    ensureCluster,
    createRepositoryCredentials,
    ensureTaskExecutionRole,
    ensureLogGroup,
    createServiceRegistryStep,
    registerTaskDefinition,
    createEcsServiceStep<NewTaskDefinitionScope>({
      dependsOn: [ensureCluster, registerTaskDefinition, createServiceRegistryStep, ensureTaskExecutionRole, ensureLogGroup],
      cluster: (ctx) => ctx.scope.clusterName,
      taskDefinition: (ctx) => ctx.outputOf(registerTaskDefinition).taskDefinition.taskDefinitionArn ?? '',
      registryArn: (ctx) => ctx.outputOf(createServiceRegistryStep).registryArn,
    }),
  ]),
)

export const createServiceFromTaskDefinitionWorkflow: Workflow<ExistingTaskDefinitionScope> =
  defineWorkflow<ExistingTaskDefinitionScope>(
    CREATE_SERVICE_WORKFLOW,
    rememberingLeftovers<ExistingTaskDefinitionScope>([
      ensureCluster,
      createServiceRegistryStep,
      createEcsServiceStep<ExistingTaskDefinitionScope>({
        dependsOn: [ensureCluster, createServiceRegistryStep],
        cluster: (ctx) => ctx.scope.clusterName,
        taskDefinition: (ctx) => ctx.scope.existingTaskDefinition.taskDefinitionArn ?? '',
        registryArn: (ctx) => ctx.outputOf(createServiceRegistryStep).registryArn,
      }),
    ]),
  )

/** What a service create made or reused, for its answer. */
export interface ServiceCreated {
  cluster: Cluster
  /** Absent when the service runs an existing task definition. */
  credentials: RepositoryCredentials | undefined
  taskDefinition: TaskDefinition
  service: Service
  registry: RegistryService | undefined
}

/**
 * Runs the create for its scope: with `existingTaskDefinition`, the service runs that revision;
 * otherwise a new one is registered with what it needs. Throws `WorkflowFailedError` after the
 * rollback when a step fails.
 */
export async function runServiceCreate(
  scope: ExistingTaskDefinitionScope | NewTaskDefinitionScope,
  options: RunOptions,
): Promise<ServiceCreated> {
  if ('existingTaskDefinition' in scope) {
    const run = await createServiceFromTaskDefinitionWorkflow.run(scope, options)
    return {
      cluster: run.outputOf(ensureCluster),
      credentials: undefined,
      taskDefinition: scope.existingTaskDefinition,
      service: run.outputs.get(CREATE_ECS_SERVICE_STEP) as Service,
      registry: run.outputOf(createServiceRegistryStep).service,
    }
  }
  const run = await createServiceWorkflow.run(scope, options)
  return {
    cluster: run.outputOf(ensureCluster),
    credentials: run.outputOf(createRepositoryCredentials),
    taskDefinition: run.outputOf(registerTaskDefinition).taskDefinition,
    service: run.outputs.get(CREATE_ECS_SERVICE_STEP) as Service,
    registry: run.outputOf(createServiceRegistryStep).service,
  }
}

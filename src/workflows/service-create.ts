import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { defineWorkflow, type Workflow } from './engine.js'
import { createEcsServiceStep, type EcsServiceScope } from './steps/create-ecs-service.js'
import { createRepositoryCredentials, type CredentialsScope } from './steps/create-repository-credentials.js'
import { createServiceRegistryStep, type ServiceRegistryScope } from './steps/create-service-registry.js'
import { ensureCluster, type ClusterScope } from './steps/ensure-cluster.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinition, type TaskDefinitionScope } from './steps/register-task-definition.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'

/**
 * The service-create workflows. Cluster, role and policy, log group, credentials and Cloud Map
 * registration do not depend on each other and run concurrently; the task definition waits for the
 * role, log group and credentials; the ECS service for the cluster, task definition and registry.
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
    ensureCluster,
    ensureTaskExecutionRole,
    ensureLogGroup,
    createRepositoryCredentials,
    createServiceRegistryStep,
    registerTaskDefinition,
    createEcsServiceStep<NewTaskDefinitionScope>({
      dependsOn: [ensureCluster, registerTaskDefinition, createServiceRegistryStep],
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

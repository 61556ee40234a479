import { defineWorkflow } from './engine.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'
import { createRepositoryCredentials, type CredentialsScope } from './steps/create-repository-credentials.js'
import { ensureCluster, type ClusterScope } from './steps/ensure-cluster.js'
import { ensureLogGroup } from './steps/ensure-log-group.js'
import { ensureTaskExecutionRole } from './steps/ensure-task-execution-role.js'
import { registerTaskDefinition, type TaskDefinitionScope } from './steps/register-task-definition.js'

export type TaskDefinitionCreateScope = ClusterScope & CredentialsScope & TaskDefinitionScope & LeftoverScope

/**
 * The task-definition create workflow. Cluster, role and log group and credentials do not depend on
 * each other and run at once; the task definition waits for the cluster (its ARN names the account)
 * and the secrets (their ARNs are Secrets Manager's), and names the role and log group without
 * waiting for them: a failure of either still deregisters it in the rollback.
 */
export const createTaskDefinitionWorkflow = defineWorkflow<TaskDefinitionCreateScope>(
  'create-task-definition',
  rememberingLeftovers<TaskDefinitionCreateScope>([
    // In the order their first calls leave: the task definition waits for the cluster and the
    // credentials, so theirs go first.
    ensureCluster,
    createRepositoryCredentials,
    ensureTaskExecutionRole,
    ensureLogGroup,
    registerTaskDefinition,
  ]),
)

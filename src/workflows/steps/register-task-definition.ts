/**
 * Step `register-task-definition`: registers the request's task definition as a Fargate one (FARGATE,
 * awsvpc), with the space's execution role as execution and task role, every container logging to
 * the space's log group through awslogs (the account's region, group `<cluster>`, stream prefix =
 * family), each container's repository-credential secret, and the run's tags.
 *
 * Usage: `registerTaskDefinition` (a create's) depends on `ensureCluster` and
 * `createRepositoryCredentials` and uses `ensureTaskExecutionRole` and `ensureLogGroup`, which must be
 * in the same workflow; an update builds its own with `registerTaskDefinitionStep(itsCredentialsStep)`,
 * which waits for the role and log group. Scope: `TaskDefinitionScope`. Output: the registered
 * `TaskDefinition` with its tags. Rollback deregisters and deletes the revision.
 */
import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Tag as EcsTag,
  TaskDefinition,
} from '@aws-sdk/client-ecs'
import { ecsApi } from '../../aws/ecs.js'
import { revisionMemoryOf } from '../../core/revision-memory.js'
import { MAX_TAGS, SERVICE_TAG, toEcsTags } from '../../core/tags.js'
import { defineStep, type StepContext, type StepRef } from '../step.js'
import { createRepositoryCredentials, type RepositoryCredentials } from './create-repository-credentials.js'
import { homeOfArn } from '../../aws/account-home.js'
import { UpstreamError } from '../../core/errors.js'
import { taskExecutionRoleArn } from '../resources/execution-role-policy.js'
import { ensureCluster, type ClusterScope } from './ensure-cluster.js'
import { ensureLogGroup, spaceLogGroupName } from './ensure-log-group.js'
import { ensureTaskExecutionRole, lookUpTaskExecutionRole } from './ensure-task-execution-role.js'
import type { SpaceScope } from './space-scope.js'

export const REGISTER_TASK_DEFINITION_STEP = 'register-task-definition'

export interface TaskDefinitionScope extends SpaceScope {
  /** The client's task definition, validated (`validateTaskDefinition`) before the run. */
  readonly taskDefinition: RegisterTaskDefinitionCommandInput
  /** The service the revision is registered for, if any: tagged `spinup:service` on the revision. */
  readonly forService?: string | undefined
}

/**
 * The revision's tags: the run's, and the service it is registered for when there is room for that
 * tag (a body may bring as many tags as AWS allows besides ours; such a revision goes without it).
 */
function revisionTags(scope: TaskDefinitionScope): EcsTag[] {
  const tags = toEcsTags(scope.tags)
  if (scope.forService === undefined || tags.length >= MAX_TAGS) return tags
  return [...tags, { key: SERVICE_TAG, value: scope.forService }]
}

export interface RegisteredTaskDefinition {
  taskDefinition: TaskDefinition
  tags: EcsTag[]
}

export interface TaskDefinitionWiring {
  roleArn: string
  logGroupName: string
  /** Secret ARN per container name. */
  credentialArns: Readonly<Record<string, string>>
}

/** The awslogs configuration of a container of `family` in the space. */
function awslogs(scope: SpaceScope, family: string, logGroupName: string): ContainerDefinition['logConfiguration'] {
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-region': scope.account.config.region,
      'awslogs-create-group': 'true',
      'awslogs-group': logGroupName,
      'awslogs-stream-prefix': family,
    },
  }
}

/** The RegisterTaskDefinition input: the client's definition with the space's wiring forced in (also what a dry run compares). */
export function taskDefinitionInput(scope: TaskDefinitionScope, wiring: TaskDefinitionWiring): RegisterTaskDefinitionCommandInput {
  const td = scope.taskDefinition
  const family = td.family ?? ''
  return {
    ...td,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    executionRoleArn: wiring.roleArn,
    taskRoleArn: wiring.roleArn,
    tags: revisionTags(scope),
    containerDefinitions: (td.containerDefinitions ?? []).map((container) => {
      const arn = container.name ? wiring.credentialArns[container.name] : undefined
      return {
        ...container,
        logConfiguration: awslogs(scope, family, wiring.logGroupName),
        ...(arn ? { repositoryCredentials: { credentialsParameter: arn } } : {}),
      }
    }),
  }
}

/** The register step: its inputs read by `wiring` once the steps it waits for have succeeded. */
function registerStep<Scope extends TaskDefinitionScope>(def: {
  dependsOn: readonly StepRef<unknown>[]
  uses?: readonly StepRef<unknown>[]
  wiring(ctx: StepContext<Scope>): Promise<TaskDefinitionWiring>
}) {
  return defineStep({
    id: REGISTER_TASK_DEFINITION_STEP,
    dependsOn: def.dependsOn,
    ...(def.uses ? { uses: def.uses } : {}),
    async invoke(ctx: StepContext<Scope>) {
      const input = taskDefinitionInput(ctx.scope, await def.wiring(ctx))
      const registered: RegisteredTaskDefinition = await ecsApi(ctx.scope.account.clients.ecs).registerTaskDefinition(input)
      return { output: registered, compensation: registered.taskDefinition.taskDefinitionArn ?? '' }
    },
    async compensate(arn: string, ctx) {
      if (!arn) return
      const ecs = ecsApi(ctx.scope.account.clients.ecs)
      // Not remembered as ACTIVE past this (before and after: a read meanwhile may remember it).
      const revisions = revisionMemoryOf(ctx.scope.account)
      revisions?.forget(arn)
      // Deregistering leaves an INACTIVE revision behind; deleting it leaves nothing of this run.
      await ecs.deregisterTaskDefinition(arn)
      await ecs.deleteTaskDefinitions([arn])
      revisions?.forget(arn)
    },
  })
}

/**
 * The register step of an update, wired to the update's credentials step: after the role and log
 * group steps, whose outputs it takes.
 */
export function registerTaskDefinitionStep(credentials: StepRef<RepositoryCredentials>) {
  return registerStep<TaskDefinitionScope>({
    dependsOn: [ensureTaskExecutionRole, ensureLogGroup, credentials],
    wiring: (ctx) =>
      Promise.resolve({
        roleArn: ctx.outputOf(ensureTaskExecutionRole).roleArn,
        logGroupName: ctx.outputOf(ensureLogGroup).logGroupName,
        credentialArns: ctx.outputOf(credentials).arns,
      }),
  })
}

/**
 * The register step of a create. ECS takes the role and log group by name and ARN without checking
 * that they exist (they matter when a task starts), so it does not wait for their steps: the log
 * group's name is the space's, the role's ARN the one IAM answered to the run's lookup or, for a role
 * the run is making, the one it gets in the cluster's account. What it waits for are the secrets,
 * whose ARNs end in a suffix only Secrets Manager knows, and the cluster, whose ARN names the account.
 * A rollback still deregisters it before the role and log group go (`uses`).
 */
export const registerTaskDefinition = registerStep<TaskDefinitionScope & ClusterScope>({
  dependsOn: [ensureCluster, createRepositoryCredentials],
  uses: [ensureTaskExecutionRole, ensureLogGroup],
  async wiring(ctx) {
    const existing = await lookUpTaskExecutionRole(ctx)
    const home = homeOfArn(ctx.outputOf(ensureCluster).clusterArn)
    const roleArn = existing?.Arn ?? (home && taskExecutionRoleArn(ctx.scope.clusterName, home))
    if (!roleArn) throw new UpstreamError(`cluster ${ctx.scope.clusterName} has no ARN to name its account by`)
    return {
      roleArn,
      logGroupName: spaceLogGroupName(ctx.scope),
      credentialArns: ctx.outputOf(createRepositoryCredentials).arns,
    }
  },
})

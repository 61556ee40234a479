/**
 * Step `register-task-definition`: registers the request's task definition as a Fargate one (FARGATE,
 * awsvpc), with the space's execution role as execution and task role, every container logging to
 * the space's log group through awslogs (the account's region, group `<cluster>`, stream prefix =
 * family), each container's repository-credential secret, and the run's tags.
 *
 * Usage: `registerTaskDefinition` depends on `ensureTaskExecutionRole`, `ensureLogGroup` and
 * `createRepositoryCredentials`; a workflow that gets credentials another way builds its own with
 * `registerTaskDefinitionStep(itsCredentialsStep)`. Scope: `TaskDefinitionScope`. Output: the
 * registered `TaskDefinition` with its tags. Rollback deregisters and deletes the revision.
 */
import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Tag as EcsTag,
  TaskDefinition,
} from '@aws-sdk/client-ecs'
import { ecsApi } from '../../aws/ecs.js'
import { MAX_TAGS, SERVICE_TAG, toEcsTags } from '../../core/tags.js'
import { defineStep, type StepContext, type StepRef } from '../step.js'
import { createRepositoryCredentials, type RepositoryCredentials } from './create-repository-credentials.js'
import { ensureLogGroup } from './ensure-log-group.js'
import { ensureTaskExecutionRole } from './ensure-task-execution-role.js'
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

/** The register step wired to the given credentials step (create, or the update algorithm's). */
export function registerTaskDefinitionStep(credentials: StepRef<RepositoryCredentials> = createRepositoryCredentials) {
  return defineStep({
    id: REGISTER_TASK_DEFINITION_STEP,
    dependsOn: [ensureTaskExecutionRole, ensureLogGroup, credentials],
    async invoke(ctx: StepContext<TaskDefinitionScope>) {
      const input = taskDefinitionInput(ctx.scope, {
        roleArn: ctx.outputOf(ensureTaskExecutionRole).roleArn,
        logGroupName: ctx.outputOf(ensureLogGroup).logGroupName,
        credentialArns: ctx.outputOf(credentials).arns,
      })
      const registered: RegisteredTaskDefinition = await ecsApi(ctx.scope.account.clients.ecs).registerTaskDefinition(input)
      return { output: registered, compensation: registered.taskDefinition.taskDefinitionArn ?? '' }
    },
    async compensate(arn: string, ctx) {
      if (!arn) return
      const ecs = ecsApi(ctx.scope.account.clients.ecs)
      // Deregistering leaves an INACTIVE revision behind; deleting it leaves nothing of this run.
      await ecs.deregisterTaskDefinition(arn)
      await ecs.deleteTaskDefinitions([arn])
    },
  })
}

export const registerTaskDefinition = registerTaskDefinitionStep()

import type { AwsVpcConfiguration, NetworkConfiguration, RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { decode } from '../../codec/index.js'
import { RunTaskBody } from '../../schemas/tasks.js'
import { InputError } from '../errors.js'
import { checkCapacityProviderStrategy } from '../services/service-rules.js'
import { requireOrgCluster } from '../spaces/clusters.js'
import { toEcsTags, withoutOrgTags } from '../tags.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef } from '../taskdefs/task-definition-ref.js'
import { validateClientTags } from '../taskdefs/validate-tags.js'
import { tasksOutput, type TasksOutput } from './task-output.js'

/** RunTask starts at most 10 tasks per call. */
const MAX_COUNT = 10

/**
 * The network of the task: what the client gives, completed with the account's subnets and security
 * groups. A public IP only where the account allows it (and by default there, since tasks in public
 * subnets need one to pull images); asking for one elsewhere is a 400, never silently granted.
 */
function networkOf(ctx: TaskDefContext, given: NetworkConfiguration | undefined): NetworkConfiguration {
  const allowPublic = ctx.account.config.allowPublicIp === true
  const vpc: Partial<AwsVpcConfiguration> = given?.awsvpcConfiguration ?? {}
  if (vpc.assignPublicIp === 'ENABLED' && !allowPublic) {
    throw new InputError('networkConfiguration.awsvpcConfiguration.assignPublicIp ENABLED is not allowed in this account')
  }
  const subnets = vpc.subnets ?? ctx.account.config.defaultSubnets ?? []
  if (subnets.length === 0) {
    throw new InputError(`account ${ctx.account.name} has no default subnets: give networkConfiguration.awsvpcConfiguration.subnets`)
  }
  return {
    awsvpcConfiguration: {
      subnets: [...subnets],
      securityGroups: [...(vpc.securityGroups ?? ctx.account.config.defaultSgs ?? [])],
      assignPublicIp: vpc.assignPublicIp ?? (allowPublic ? 'ENABLED' : 'DISABLED'),
    },
  }
}

/** Checks the body and builds the RunTask input, before any AWS call. */
function runTaskInput(ctx: TaskDefContext, body: unknown): RunTaskCommandInput {
  const { value } = decode(RunTaskBody, body)
  const count = value.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new InputError(`count must be 1 to ${MAX_COUNT}`)
  checkCapacityProviderStrategy('capacityProviderStrategy', value.capacityProviderStrategy)
  const clientTags = (value.tags ?? []).map((t) => ({ Key: t.key ?? '', Value: t.value ?? '' }))
  validateClientTags(clientTags, 'tags')
  const tags = withoutOrgTags(clientTags, ctx.org)
  return {
    ...value,
    count,
    // An absent strategy means Fargate; a given one (even empty: the cluster's default) picks capacity.
    ...(value.capacityProviderStrategy === undefined ? { launchType: 'FARGATE' } : {}),
    networkConfiguration: networkOf(ctx, value.networkConfiguration),
    enableECSManagedTags: true,
    propagateTags: 'TASK_DEFINITION',
    tags: toEcsTags(tags),
  }
}

/** POST .../taskdefs/{taskdef}/tasks: runs tasks of the org's task definition in the org's cluster. */
export async function runTask(ctx: TaskDefContext, cluster: string, taskdef: string, body: unknown): Promise<TasksOutput> {
  const ref = parseTaskDefinitionRef(taskdef)
  const input = runTaskInput(ctx, body)
  const [found, td] = await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  const { tasks, failures } = await ctx.ecs.runTask({
    ...input,
    cluster: found.clusterArn ?? cluster,
    taskDefinition: td.taskDefinition.taskDefinitionArn ?? ref.ref,
  })
  return tasksOutput(tasks, failures)
}

import type { Task } from '@aws-sdk/client-ecs'
import { familyOfArn } from '../../aws/ecs.js'
import { InputError, NotFoundError } from '../../core/errors.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { belongsToOrg, inSpace } from '../../core/tags.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { isOfAccount, type TaskDefinitionRef } from '../../core/task-definition-ref.js'

const TASK_ID = /^[A-Za-z0-9-]{1,64}$/
const TASK_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task\/([A-Za-z0-9_-]{1,255}\/)?[A-Za-z0-9-]{1,64}$/

/** A task id or task ARN from the path; anything else is a 400. */
function parseTaskId(segment: string): string {
  if (TASK_ID.test(segment) || TASK_ARN.test(segment)) return segment
  throw new InputError(`task "${segment}" is not a task id or task ARN`)
}

/**
 * The task, when it runs in the org's cluster from one of the org's task definitions of that space
 * (and, under a `{taskdef}` path, of that family and account); otherwise 404. ECS does not propagate
 * tags onto every task, so ownership is read from the cluster and the task definition.
 */
export async function requireOrgTask(
  ctx: TaskDefContext,
  cluster: string,
  task: string,
  family?: TaskDefinitionRef,
): Promise<Task> {
  const taskId = parseTaskId(task)
  const notFound = new NotFoundError(`task ${task} not found in cluster ${cluster}`)
  // DescribeTasks needs nothing from the cluster check, so both run at once; the tasks are read only
  // once the check has passed, and a failure of both reports the cluster's.
  const taskLookup = ctx.ecs.describeTasks(cluster, [taskId])
  // Its rejection is rethrown by the await below; this keeps it from being unhandled meanwhile.
  taskLookup.catch(() => undefined)
  await requireOrgCluster(ctx.ecs, cluster, ctx.org)
  const { tasks } = await taskLookup
  const found = tasks[0]
  const tdArn = found?.taskDefinitionArn
  if (!found || !tdArn) throw notFound
  // Under a `{taskdef}` of another account or region, no task of this account is found.
  if (family && (familyOfArn(tdArn) !== family.family || !isOfAccount(family, tdArn))) throw notFound
  const td = await ctx.ecs.describeTaskDefinition(tdArn)
  if (!td || !belongsToOrg(td.tags, ctx.org) || !inSpace(td.tags, cluster)) throw notFound
  return found
}

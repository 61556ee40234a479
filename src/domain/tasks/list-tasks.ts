import type { DesiredStatus } from '@aws-sdk/client-ecs'
import { InputError } from '../../core/errors.js'
import { requireOrgCluster } from '../../core/clusters.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { clusterTaskId } from './task-output.js'

const STATUSES = new Set<DesiredStatus>(['RUNNING', 'PENDING', 'STOPPED'])

function statusesOf(given: readonly string[] | undefined): DesiredStatus[] {
  const wanted = (given?.length ? given : ['RUNNING']).map((s) => s.toUpperCase())
  for (const s of wanted) {
    if (!STATUSES.has(s as DesiredStatus)) throw new InputError(`status ${s} is not one of RUNNING, PENDING, STOPPED`)
  }
  return [...new Set(wanted)] as DesiredStatus[]
}

/**
 * GET .../taskdefs/{taskdef}/tasks: the family's tasks in the cluster with each desired status asked
 * for (RUNNING by default), every page, as `<cluster>/<taskId>`, in the order of the statuses.
 */
export async function listTasks(
  ctx: TaskDefContext,
  cluster: string,
  taskdef: string,
  query: { status?: string[] | undefined; startedBy?: string | undefined },
): Promise<string[]> {
  const ref = parseTaskDefinitionRef(taskdef)
  const statuses = statusesOf(query.status)
  await Promise.all([
    requireOrgCluster(ctx.ecs, cluster, ctx.org),
    requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster),
  ])
  const lists = await Promise.all(
    statuses.map((desiredStatus) =>
      ctx.ecs.listTaskArns({ cluster, family: ref.family, desiredStatus, ...(query.startedBy ? { startedBy: query.startedBy } : {}) }),
    ),
  )
  return [...new Set(lists.flat().map(clusterTaskId))]
}

import type { Task } from '@aws-sdk/client-ecs'
import type { LogsContext } from './context.js'
import { findOrgService } from '../services/find-service.js'
import type { LogsPlan } from './logs-plan.js'
import { parseMergedQuery, type RawMergedQuery } from '../../core/logs/merged-query.js'
import { prelist, selectTasks, TaskDefinitions, type Listed } from './service-tasks.js'
import { streamsOfTasks, taskIdOf } from '../../core/logs/task-streams.js'

/**
 * The merged form of GET .../services/{service}/logs: the streams of the selected tasks of the org's
 * service. A follow of `running` or `all` looks for new tasks every round; a fixed set of tasks is
 * finished once all of them have stopped.
 */
export async function planServiceLogs(
  ctx: LogsContext,
  cluster: string,
  name: string,
  raw: RawMergedQuery,
  lastEventId?: string,
): Promise<LogsPlan> {
  const query = parseMergedQuery(raw, 'service', lastEventId)
  let listed: Listed | undefined = prelist(ctx, cluster, name, query.selection)
  const service = await findOrgService(ctx, cluster, name)
  const definitions = new TaskDefinitions(ctx)
  // Most tasks run the service's current revision: described beside the task lookups.
  if (service.taskDefinition) void definitions.describe(service.taskDefinition)
  const owner = `service ${service.serviceName ?? name}`
  const growing = query.selection.kind === 'running' || query.selection.kind === 'all'

  // Tasks seen once stay read until the follow ends: a stopped task's last lines still arrive.
  const seen = new Map<string, Task>()
  const look = async () => {
    const tasks = await selectTasks(ctx, cluster, service, query.selection, listed)
    // The lists started before the org check serve the first look only; later ones list anew.
    listed = undefined
    for (const t of tasks) seen.set(t.taskArn ?? '', t)
    const all = [...seen.values()]
    return {
      streams: streamsOfTasks(all, await definitions.of(all), query.container, owner),
      taskIds: all.map(taskIdOf),
      finished: !growing && all.every((t) => t.lastStatus === 'STOPPED'),
    }
  }
  const now = await look()
  return { query, ...now, refresh: look }
}

import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import type { ServiceLogsPage } from '../../codec/log-events.js'
import { NotFoundError } from '../../core/errors.js'
import type { ServiceContext } from './context.js'
import { findOrgService, serviceTaskDefinition } from './find-service.js'
import { parseLogsQuery, type RawLogsQuery } from './logs-query.js'

/** Where a container's awslogs driver writes: group and stream prefix from its log configuration. */
export function awslogsTarget(container: ContainerDefinition | undefined): { group: string; prefix: string } | undefined {
  const log = container?.logConfiguration
  const group = log?.options?.['awslogs-group']
  const prefix = log?.options?.['awslogs-stream-prefix']
  if (log?.logDriver !== 'awslogs' || !group || !prefix) return undefined
  return { group, prefix }
}

/**
 * Log events of one container of one of the service's tasks. The log group and stream prefix come
 * from that container's awslogs options in the task definition the task ran (the service's current
 * one when ECS has forgotten the task), so the stream is `<prefix>/<container>/<taskId>`. A task ECS
 * still knows must belong to this service; one it has forgotten is found only through its stream,
 * which the service's own prefix names.
 */
export async function serviceLogs(ctx: ServiceContext, cluster: string, name: string, raw: RawLogsQuery): Promise<ServiceLogsPage> {
  const query = parseLogsQuery(raw)
  // The task lookup needs nothing from the service, so it runs alongside the service's org check
  // (one AWS round trip less); its answer is read only once that check has passed, and a failure of
  // both reports the service's.
  const taskLookup = ctx.ecs.describeTasks(cluster, [query.taskId])
  // Its rejection is rethrown by the await below; this keeps it from being unhandled meanwhile.
  taskLookup.catch(() => undefined)
  const service = await findOrgService(ctx, cluster, name)

  const {
    tasks: [task],
  } = await taskLookup
  if (task && task.group !== `service:${service.serviceName ?? ''}`) {
    throw new NotFoundError(`task ${query.taskId} is not a task of service ${name}`)
  }
  const taskDefinition = await serviceTaskDefinition(ctx, task?.taskDefinitionArn ?? service.taskDefinition ?? '')
  const container = taskDefinition.containerDefinitions?.find((c) => c.name === query.container)
  if (!container) throw new NotFoundError(`container ${query.container} is not part of service ${name}`)
  const target = awslogsTarget(container)
  if (!target) throw new NotFoundError(`container ${query.container} does not log to CloudWatch Logs (awslogs)`)

  const answer = await ctx.logs
    .answer({
      group: target.group,
      stream: `${target.prefix}/${query.container}/${query.taskId}`,
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.forwardToken !== undefined ? { forwardToken: query.forwardToken } : {}),
      ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
      ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
    })
    .catch((err: unknown) => {
      if (err instanceof NotFoundError) {
        throw new NotFoundError(`no logs of container ${query.container} in task ${query.taskId} of service ${name}`, { cause: err })
      }
      throw err
    })
  // Written out as the route sends them (AWS's text rewritten, or events mapped), not all at once here.
  const page = 'text' in answer ? answer.text : answer.page
  const tokens = { NextBackwardToken: page.nextBackwardToken ?? null, NextForwardToken: page.nextForwardToken ?? null }
  return 'text' in answer ? { text: answer.text, ...tokens } : { events: answer.page.events ?? [], ...tokens }
}

import { OutputLogEvent$, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import { encode, type JsonValue } from '../../codec/index.js'
import { NotFoundError } from '../../core/errors.js'
import type { ServiceContext } from './context.js'
import { findOrgService, serviceTaskDefinition } from './find-service.js'
import { parseLogsQuery, type RawLogsQuery } from './logs-query.js'

export interface ServiceLogs {
  Events: JsonValue[]
  NextBackwardToken: string | null
  NextForwardToken: string | null
}

/**
 * One event as `encode(OutputLogEvent$, event)` gives it (`{Timestamp, Message, IngestionTime}`, in
 * the shape's member order), without the codec's generic walk: an answer holds up to 10,000 events
 * and the walk was most of the mapping time. An event that is not the usual three well-typed own
 * members (none from AWS so far) takes the codec's path, so the result is the same either way.
 */
export function logEventJson(event: OutputLogEvent): JsonValue {
  const { timestamp, message, ingestionTime } = event
  if (
    typeof timestamp === 'number' &&
    typeof message === 'string' &&
    typeof ingestionTime === 'number' &&
    Number.isFinite(timestamp) &&
    Number.isFinite(ingestionTime) &&
    Object.hasOwn(event, 'timestamp') &&
    Object.hasOwn(event, 'message') &&
    Object.hasOwn(event, 'ingestionTime')
  ) {
    return { Timestamp: timestamp, Message: message, IngestionTime: ingestionTime }
  }
  return encode(OutputLogEvent$, event)
}

/**
 * The answer's JSON text, the same bytes the route's response schema serializer writes (members in
 * schema order; events and tokens are plain JSON values, which that serializer writes with
 * `JSON.stringify` too). One native `JSON.stringify` over 10,000 events is several times faster than
 * the serializer's per-key loop and leaves far less garbage behind.
 */
export function serviceLogsJson(logs: ServiceLogs): string {
  return JSON.stringify({ Events: logs.Events, NextBackwardToken: logs.NextBackwardToken, NextForwardToken: logs.NextForwardToken })
}

/** Where a container's awslogs driver writes: group and stream prefix from its log configuration. */
function awslogsTarget(container: ContainerDefinition | undefined): { group: string; prefix: string } | undefined {
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
export async function serviceLogs(ctx: ServiceContext, cluster: string, name: string, raw: RawLogsQuery): Promise<ServiceLogs> {
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

  const page = await ctx.logs
    .page({
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
  return {
    Events: (page.events ?? []).map(logEventJson),
    NextBackwardToken: page.nextBackwardToken ?? null,
    NextForwardToken: page.nextForwardToken ?? null,
  }
}

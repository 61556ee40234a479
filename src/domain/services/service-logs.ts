import type { ServiceLogsPage } from '../../codec/log-events.js'
import { familyOfArn } from '../../aws/ecs.js'
import { ECS_NAME } from '../../core/ecs-name.js'
import { NotFoundError } from '../../core/errors.js'
import type { ServiceContext } from './context.js'
import { findOrgService, serviceTaskDefinition } from './find-service.js'
import { parseLogsQuery, type RawLogsQuery } from '../../core/logs/logs-query.js'
import { awslogsTarget } from '../../core/logs/task-streams.js'

/**
 * The awslogs target the API gives every container of a revision it registers: the space's log group,
 * named after its cluster (`spaceLogGroupName`), and the family as prefix (`register-task-definition`).
 */
function ownTarget(cluster: string, taskDefinitionArn: string | undefined): LogTarget | undefined {
  const family = taskDefinitionArn ? familyOfArn(taskDefinitionArn) : undefined
  return family && ECS_NAME.test(cluster) ? { group: cluster, prefix: family } : undefined
}

type LogTarget = NonNullable<ReturnType<typeof awslogsTarget>>

/**
 * Log events of one container of one of the service's tasks. The log group and stream prefix come
 * from that container's awslogs options in the task definition the task ran (the service's current
 * one when ECS has forgotten the task), so the stream is `<prefix>/<container>/<taskId>`. A task ECS
 * still knows must belong to this service; one it has forgotten is found only through its stream,
 * which the service's own prefix names.
 *
 * The AWS calls: the task lookup and the service's org check start together. The read does not wait
 * for the check, and for a revision the API registered not even for the revision: the API names the
 * log group after the cluster and the prefix after the family, which the task's revision ARN holds,
 * so that stream is read as soon as the task is known, beside the revision's lookup, and used when
 * the revision confirms it (otherwise it is abandoned and the revision's stream is read). Nothing
 * read is answered before every check has passed, and the checks are judged in the order they always
 * were, so a failure answers what it answered before: the service's first (a service of another org
 * is a 404 however far the read got), then the task's, the revision's, the container's, the read's.
 * A read not yet started when a check failed is not started; one under way is abandoned.
 */
export async function serviceLogs(ctx: ServiceContext, cluster: string, name: string, raw: RawLogsQuery): Promise<ServiceLogsPage> {
  const query = parseLogsQuery(raw)
  const abandoned = new AbortController()
  const readOf = (target: LogTarget, signal: AbortSignal) =>
    ctx.logs.answer(
      {
        group: target.group,
        stream: `${target.prefix}/${query.container}/${query.taskId}`,
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.forwardToken !== undefined ? { forwardToken: query.forwardToken } : {}),
        ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
        ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
      },
      signal,
    )

  const taskLookup = ctx.ecs.describeTasks(cluster, [query.taskId])
  const serviceCheck = findOrgService(ctx, cluster, name)
  // The stream the API's own revisions name, read beside the revision's lookup (sent first:
  // it is the longer call).
  const guessAbandoned = new AbortController()
  abandoned.signal.addEventListener('abort', () => guessAbandoned.abort(), { once: true })
  const guess = taskLookup.then(({ tasks: [task] }) => {
    const target = ownTarget(cluster, task?.taskDefinitionArn)
    if (!target || abandoned.signal.aborted) return undefined
    const read = readOf(target, guessAbandoned.signal)
    read.catch(() => undefined)
    return { target, read }
  })
  const revision = (async () => {
    const {
      tasks: [task],
    } = await taskLookup
    return serviceTaskDefinition(ctx, task?.taskDefinitionArn ?? (await serviceCheck).taskDefinition ?? '')
  })()
  const read = revision.then(async (taskDefinition) => {
    const target = awslogsTarget(taskDefinition.containerDefinitions?.find((c) => c.name === query.container))
    const guessed = await guess.catch(() => undefined)
    if (guessed && target && guessed.target.group === target.group && guessed.target.prefix === target.prefix) return guessed.read
    guessAbandoned.abort()
    if (!target || abandoned.signal.aborted) return undefined
    return readOf(target, abandoned.signal)
  })
  // Each rejection is rethrown where it is judged below; this keeps it from being unhandled meanwhile.
  for (const started of [serviceCheck, taskLookup, revision, guess, read]) started.catch(() => undefined)
  void serviceCheck.catch(() => abandoned.abort())

  try {
    const service = await serviceCheck
    const {
      tasks: [task],
    } = await taskLookup
    if (task && task.group !== `service:${service.serviceName ?? ''}`) {
      throw new NotFoundError(`task ${query.taskId} is not a task of service ${name}`)
    }
    const taskDefinition = await revision
    const container = taskDefinition.containerDefinitions?.find((c) => c.name === query.container)
    if (!container) throw new NotFoundError(`container ${query.container} is not part of service ${name}`)
    if (!awslogsTarget(container)) throw new NotFoundError(`container ${query.container} does not log to CloudWatch Logs (awslogs)`)

    const answer = await read.catch((err: unknown) => {
      if (err instanceof NotFoundError) {
        throw new NotFoundError(`no logs of container ${query.container} in task ${query.taskId} of service ${name}`, { cause: err })
      }
      throw err
    })
    if (!answer) throw new Error('the log read was not started although every check passed')
    // Written out as the route sends them (AWS's text rewritten, or events mapped), not all at once here.
    const page = 'text' in answer ? answer.text : answer.page
    const tokens = { NextBackwardToken: page.nextBackwardToken ?? null, NextForwardToken: page.nextForwardToken ?? null }
    return 'text' in answer ? { text: answer.text, ...tokens } : { events: answer.page.events ?? [], ...tokens }
  } catch (err) {
    abandoned.abort()
    throw err
  }
}

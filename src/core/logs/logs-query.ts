import { ECS_NAME } from '../ecs-name.js'
import { InputError } from '../errors.js'

/** The logs route's query, parsed: which stream, and which part of it. */
export interface LogsQuery {
  /** The task id (the last part of an ARN or of `<cluster>/<id>`). */
  taskId: string
  container: string
  limit?: number
  forwardToken?: string
  startTime?: number
  endTime?: number
}

export interface RawLogsQuery {
  task?: string
  container?: string
  limit?: string
  seq?: string
  start?: string
  end?: string
}

/** GetLogEvents' largest page. */
export const MAX_LOG_LIMIT = 10_000

const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/
const FORWARD_TOKEN = /^f\/[0-9]{1,128}$/
const DIGITS = /^[0-9]{1,16}$/

/**
 * The seed document writes the values quoted (`task="foo"`), so one pair of surrounding double
 * quotes is taken off; no task id, container name, number or token contains a quote.
 */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
}

function required(name: string, value: string | undefined): string {
  const v = value === undefined ? '' : unquote(value).trim()
  if (v === '') throw new InputError(`query parameter ${name} is required`, { details: { parameter: name } })
  return v
}

function epochMillis(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const v = unquote(value)
  if (!DIGITS.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new InputError(`query parameter ${name} must be epoch milliseconds (a non-negative integer), got "${v}"`, {
      details: { parameter: name },
    })
  }
  return Number(v)
}

/** Validates the whole query; a bad value is a 400 naming the parameter. */
export function parseLogsQuery(raw: RawLogsQuery): LogsQuery {
  const task = required('task', raw.task)
  // Accept what the other routes hand out: a bare id, `<cluster>/<id>` or a task ARN.
  const taskId = task.slice(task.lastIndexOf('/') + 1)
  if (!TASK_ID.test(taskId)) {
    throw new InputError(`query parameter task is not a task id: "${task}"`, { details: { parameter: 'task' } })
  }
  const container = required('container', raw.container)
  if (!ECS_NAME.test(container)) {
    throw new InputError(`query parameter container is not a container name: "${container}"`, {
      details: { parameter: 'container' },
    })
  }

  const query: LogsQuery = { taskId, container }
  if (raw.limit !== undefined) {
    const v = unquote(raw.limit)
    const n = DIGITS.test(v) ? Number(v) : NaN
    if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_LIMIT) {
      throw new InputError(`query parameter limit must be an integer from 1 to ${MAX_LOG_LIMIT}, got "${v}"`, {
        details: { parameter: 'limit' },
      })
    }
    query.limit = n
  }
  if (raw.seq !== undefined) {
    const v = unquote(raw.seq)
    if (!FORWARD_TOKEN.test(v)) {
      throw new InputError('query parameter seq must be a NextForwardToken of an earlier answer (f/...)', {
        details: { parameter: 'seq' },
      })
    }
    query.forwardToken = v
  }
  const start = epochMillis('start', raw.start)
  const end = epochMillis('end', raw.end)
  if (start !== undefined && end !== undefined && start > end) {
    throw new InputError(`query parameter start (${start}) is after end (${end})`, { details: { parameter: 'start' } })
  }
  if (start !== undefined) query.startTime = start
  if (end !== undefined) query.endTime = end
  return query
}

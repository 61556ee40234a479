import { ECS_NAME } from '../ecs-name.js'
import { fieldError } from '../errors.js'
import { decodeLogPosition, type LogPosition } from '../log-cursor.js'
import { parseTimeRange } from '../time-range.js'
import { MAX_LOG_LIMIT } from './logs-query.js'

/**
 * The query of the merged logs form (several tasks' streams in one time order), shared by the
 * service and task logs routes. Every bad value is a 400 naming its parameter.
 */

/** Which of the service's tasks to read. */
export type TaskSelection =
  | { kind: 'running' | 'stopped' | 'all' | 'previous' }
  | { kind: 'ids'; ids: string[] }
  /** The single-stream form's `task`, read in the merged form because a new parameter came with it. */
  | { kind: 'one'; id: string }

export interface MergedQuery {
  selection: TaskSelection
  container?: string
  pattern?: string
  /** Epoch milliseconds. */
  since?: number
  until?: number
  limit: number
  /** Resume after this position (`next`, or `Last-Event-ID` on a follow). */
  after?: LogPosition
  follow: boolean
}

export interface RawMergedQuery {
  task?: string | undefined
  tasks?: string | undefined
  previous?: string | undefined
  container?: string | undefined
  filter?: string | undefined
  since?: string | undefined
  until?: string | undefined
  follow?: string | undefined
  limit?: string | undefined
  next?: string | undefined
  seq?: string | undefined
  start?: string | undefined
  end?: string | undefined
}

/** Events a merged page answers unless `limit` says otherwise. */
export const DEFAULT_MERGED_LIMIT = 1_000
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/
const TRUE = /^(1|t|T|TRUE|true|True)$/
const MAX_FILTER = 1_024

/** Whether a service logs query asks for the merged form: any parameter the single-stream form lacks. */
export function isMergedQuery(raw: RawMergedQuery): boolean {
  return [raw.tasks, raw.previous, raw.filter, raw.since, raw.until, raw.follow, raw.next].some((v) => v !== undefined)
}

function unquote(value: string): string {
  const v = value.trim()
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v
}

function taskId(text: string, field: string): string {
  const v = unquote(text)
  const id = v.slice(v.lastIndexOf('/') + 1)
  if (!TASK_ID.test(id)) throw fieldError(field, `${field}: "${v}" is not a task id, <cluster>/<id> or task ARN`)
  return id
}

function selectionOf(raw: RawMergedQuery, route: 'service' | 'task'): TaskSelection {
  const previous = raw.previous !== undefined && TRUE.test(raw.previous)
  if (route === 'task') return { kind: 'one', id: '' }
  if (raw.task !== undefined && raw.tasks !== undefined) throw fieldError('tasks', 'give either task or tasks, not both')
  if (previous && (raw.task !== undefined || raw.tasks !== undefined)) {
    throw fieldError('previous', 'previous=true reads the most recently stopped task; it takes neither task nor tasks')
  }
  if (previous) return { kind: 'previous' }
  if (raw.task !== undefined) return { kind: 'one', id: taskId(raw.task, 'task') }
  const tasks = unquote(raw.tasks ?? 'running')
  if (tasks === 'running' || tasks === 'stopped' || tasks === 'all') return { kind: tasks }
  const ids = tasks.split(',').map((t) => t.trim()).filter(Boolean)
  if (ids.length === 0 || ids.length > 100) {
    throw fieldError('tasks', 'tasks must be running, stopped, all, or a comma list of 1 to 100 task ids')
  }
  // A word that is not a task id (say "pending") is refused before ECS is asked.
  if (ids.length === 1 && /^[a-z]+$/.test(ids[0]!) && !/^[0-9a-f]{32}$/.test(ids[0]!)) {
    throw fieldError('tasks', `tasks must be running, stopped, all, or a comma list of task ids, not "${ids[0]}"`)
  }
  return { kind: 'ids', ids: [...new Set(ids.map((t) => taskId(t, 'tasks')))] }
}

/**
 * CloudWatch refuses a pattern with unbalanced quotes or brackets; refused here first, so that the
 * 400 names `filter` even where the backend would not check.
 */
function filterPattern(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  if (raw.length > MAX_FILTER) throw fieldError('filter', `filter is longer than ${MAX_FILTER} characters`)
  const quotes = (raw.match(/"/g) ?? []).length
  const balanced = (open: string, close: string) => raw.split(open).length === raw.split(close).length
  if (quotes % 2 !== 0 || !balanced('{', '}') || !balanced('[', ']') || !balanced('(', ')')) {
    throw fieldError('filter', `filter is not a CloudWatch Logs filter pattern (unbalanced quotes or brackets): ${JSON.stringify(raw)}`)
  }
  return raw
}

export function parseMergedQuery(raw: RawMergedQuery, route: 'service' | 'task', lastEventId?: string): MergedQuery {
  for (const name of ['seq', 'start', 'end'] as const) {
    if (raw[name] !== undefined) {
      throw fieldError(name, `${name} belongs to the single-stream form (task and container only); use since, until and next here`)
    }
  }
  const selection = selectionOf(raw, route)
  const query: MergedQuery = { selection, limit: DEFAULT_MERGED_LIMIT, follow: raw.follow !== undefined && TRUE.test(raw.follow) }
  if (raw.container !== undefined && unquote(raw.container) !== '') {
    const container = unquote(raw.container)
    if (!ECS_NAME.test(container)) throw fieldError('container', `container: "${container}" is not a container name`)
    query.container = container
  }
  const pattern = filterPattern(raw.filter)
  if (pattern !== undefined) query.pattern = pattern
  const range = parseTimeRange({ since: raw.since, until: raw.until })
  if (range.since) query.since = range.since.getTime()
  if (range.until) query.until = range.until.getTime()
  if (raw.limit !== undefined) {
    const v = unquote(raw.limit)
    const n = /^[0-9]{1,6}$/.test(v) ? Number(v) : NaN
    if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_LIMIT) throw fieldError('limit', `limit must be an integer from 1 to ${MAX_LOG_LIMIT}, got "${v}"`)
    query.limit = n
  }
  if (raw.next !== undefined) {
    const after = decodeLogPosition(unquote(raw.next))
    if (!after) throw fieldError('next', 'next must be the NextToken of an earlier answer')
    query.after = after
  }
  if (query.follow && lastEventId !== undefined) {
    const after = decodeLogPosition(lastEventId)
    if (!after) throw fieldError('Last-Event-ID', 'Last-Event-ID must be the id of an event of an earlier follow')
    query.after = after
  }
  return query
}

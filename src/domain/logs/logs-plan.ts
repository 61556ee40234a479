import type { LogFilter } from '../../aws/log-filter.js'
import { encodeLogPosition, type LogPosition } from '../../core/log-cursor.js'
import { ThrottledError, UpstreamError } from '../../core/errors.js'
import { pollWithBackoff, type PollResult } from '../../core/poll.js'
import type { MergedQuery } from '../../core/logs/merged-query.js'
import { readMerged, type MergedEvent, type MergedEventJson } from '../../workflows/logs/merged-read.js'

/** How the answer writes each event (the route maps events as it writes them). */
export { mergedEventJson } from '../../workflows/logs/merged-read.js'
import type { TaskStream } from '../../core/logs/task-streams.js'

/** What a merged logs request reads: the query, the tasks' streams now, and how to look again. */
export interface LogsPlan {
  query: MergedQuery
  streams: TaskStream[]
  /** Ids of the tasks whose streams are read. */
  taskIds: string[]
  /** True when no task can be added and every task has stopped: a follow ends once it caught up. */
  finished: boolean
  /** The streams as they are now (a follow picks up tasks that started meanwhile). */
  refresh(): Promise<{ streams: TaskStream[]; taskIds: string[]; finished: boolean }>
}

/** The merged form's answer. */
export interface MergedLogsJson {
  Events: MergedEventJson[]
  Tasks: string[]
  /** The `Id` of the last event when more follow it: pass it back as `next`. */
  NextToken: string | null
}

/** The merged form's answer with its events as read: they are mapped (`mergedEventJson`) as they are written. */
export interface MergedLogsPage extends Omit<MergedLogsJson, 'Events'> {
  events: MergedEvent[]
}

/** What the merged answer's JSON has before its first event and after its last (members in `MergedLogsJson`'s order). */
export const MERGED_LOGS_HEAD = '{"Events":['

export function mergedLogsTail(page: Pick<MergedLogsPage, 'Tasks' | 'NextToken'>): string {
  return `],"Tasks":${JSON.stringify(page.Tasks)},"NextToken":${JSON.stringify(page.NextToken)}}`
}

export async function readLogsPage(filter: LogFilter, plan: LogsPlan): Promise<MergedLogsPage> {
  const { query } = plan
  const read = await readMerged(filter, plan.streams, {
    pattern: query.pattern,
    after: query.after,
    since: query.since,
    until: query.until,
    limit: query.limit,
  })
  const last = read.events.at(-1)
  return {
    events: read.events,
    Tasks: plan.taskIds,
    NextToken: !read.complete && last ? encodeLogPosition(last.position) : null,
  }
}

/**
 * Has CloudWatch check a follow's filter pattern before its stream opens: one FilterLogEvents over
 * one stream, an empty time range and at most one event. A pattern it refuses is then a 400 naming
 * `filter` instead of an error event once the stream is open. Without a stream yet (no task), there
 * is nothing to ask; a later round's refusal still ends the stream with its reason.
 */
export async function checkFollowPattern(filter: LogFilter, plan: LogsPlan): Promise<void> {
  const first = plan.streams[0]
  if (!plan.query.pattern || !first) return
  const now = Date.now()
  await readMerged(filter, [first], { pattern: plan.query.pattern, since: now, until: now, limit: 1 })
}

export interface FollowOptions {
  signal: AbortSignal
  /** Called for each event in order; false when the stream is closed. */
  emit(event: MergedEvent): boolean
  pollMinMs: number
  pollMaxMs: number
  /** Where a follow without `since` and without a resume position starts, back from now. */
  lookbackMs?: number
}

/** Events a follow reads per round at most; more are read in the next round, at once. */
const FOLLOW_BATCH = 1_000
/** A follow without `since` starts this far back, so lines written just before it opened are not lost. */
const DEFAULT_LOOKBACK_MS = 30_000

/**
 * Follows the plan's streams until the client goes away, or until every task has stopped (or `until`
 * has passed) and everything was read. Each round refreshes the task list (new tasks are picked up as
 * they start), reads what came after the last event sent, and backs off while nothing new arrives.
 */
export async function followLogs(filter: LogFilter, plan: LogsPlan, options: FollowOptions): Promise<void> {
  const { query } = plan
  let after: LogPosition | undefined = query.after
  const since = after || query.since !== undefined ? query.since : Date.now() - (options.lookbackMs ?? DEFAULT_LOOKBACK_MS)
  let streams = plan.streams
  let finished = plan.finished
  let first = true
  await pollWithBackoff(
    async () => {
      try {
        return await round()
      } catch (err) {
        // Throttling or an AWS outage is waited out with the idle back-off; anything else ends the follow.
        if (err instanceof ThrottledError || (err instanceof UpstreamError && err.code === 'ServiceUnavailable')) return 'idle'
        throw err
      }
    },
    { minMs: options.pollMinMs, maxMs: options.pollMaxMs, signal: options.signal },
  )

  async function round(): Promise<PollResult> {
    if (!first && !finished) ({ streams, finished } = await plan.refresh())
    first = false
    if (query.until !== undefined && query.until < Date.now()) finished = true
    const read = await readMerged(filter, streams, {
      pattern: query.pattern,
      after,
      since,
      until: query.until,
      limit: FOLLOW_BATCH,
      signal: options.signal,
    })
    for (const event of read.events) {
      if (!options.emit(event)) return 'done'
      after = event.position
    }
    if (!read.complete) return 'progress'
    if (finished) return 'done'
    return read.events.length > 0 ? 'progress' : 'idle'
  }
}

import { MAX_STREAMS_PER_FILTER, type FilterResult, type LogFilter } from '../../aws/log-filter.js'
import { awsCodeOf } from '../../aws/translate-error.js'
import { chunk, mapWithConcurrency } from '../../core/concurrency.js'
import { fieldError, InputError } from '../../core/errors.js'
import { compareLogPositions, encodeLogPosition, type LogPosition } from '../../core/log-cursor.js'
import type { TaskStream } from '../../core/logs/task-streams.js'

/**
 * Reading the streams of several tasks as one time-ordered sequence. Each log group is read with
 * FilterLogEvents over its stream names (100 a call), the calls run side by side, and their answers
 * are merged by timestamp then event id. When a call stopped early (more events than asked for), the
 * merge keeps only what lies before the earliest such stop: a later event of another call could
 * still be missing after it, and the next read resumes from there.
 */

const FAN_OUT = 4

export interface MergedEvent {
  position: LogPosition
  source: TaskStream
  message: string
}

export interface ReadWindow {
  pattern?: string | undefined
  /** Only events after this position (a resumed read). */
  after?: LogPosition | undefined
  /** Epoch milliseconds, inclusive. */
  since?: number | undefined
  until?: number | undefined
  /** At most this many events. */
  limit: number
  signal?: AbortSignal | undefined
}

export interface MergedRead {
  events: MergedEvent[]
  /** False when more events follow the last one answered. */
  complete: boolean
}

export async function readMerged(filter: LogFilter, streams: readonly TaskStream[], window: ReadWindow): Promise<MergedRead> {
  const byName = new Map(streams.map((s) => [`${s.group}\0${s.stream}`, s]))
  const groups = new Map<string, string[]>()
  for (const s of streams) groups.set(s.group, [...(groups.get(s.group) ?? []), s.stream])
  const calls = [...groups].flatMap(([group, names]) => chunk(names, MAX_STREAMS_PER_FILTER).map((part) => ({ group, streams: part })))

  const startTime = Math.max(window.since ?? 0, window.after?.timestamp ?? 0) || undefined
  const results = await mapWithConcurrency(
    calls,
    async (call) => {
      const result: FilterResult = await filter
        .read(
          {
            ...call,
            ...(window.pattern ? { pattern: window.pattern } : {}),
            ...(startTime !== undefined ? { startTime } : {}),
            ...(window.until !== undefined ? { endTime: window.until } : {}),
          },
          window.limit,
          window.signal,
        )
        .catch((err: unknown) => {
          throw rejectedPattern(err, window.pattern) ?? err
        })
      return { group: call.group, ...result }
    },
    FAN_OUT,
  )

  let frontier: LogPosition | undefined
  const events: MergedEvent[] = []
  for (const result of results) {
    for (const e of result.events) {
      const source = byName.get(`${result.group}\0${e.stream}`)
      const position = { timestamp: e.timestamp, eventId: e.eventId }
      if (!source || (window.after && compareLogPositions(position, window.after) <= 0)) continue
      events.push({ position, source, message: e.message })
    }
    const last = result.events.at(-1)
    if (!result.complete && last) {
      const at = { timestamp: last.timestamp, eventId: last.eventId }
      if (!frontier || compareLogPositions(at, frontier) < 0) frontier = at
    }
  }
  events.sort((a, b) => compareLogPositions(a.position, b.position) || (a.source.stream < b.source.stream ? -1 : 1))
  const safe = frontier ? events.filter((e) => compareLogPositions(e.position, frontier) <= 0) : events
  const complete = results.every((r) => r.complete) && safe.length <= window.limit
  return { events: safe.slice(0, window.limit), complete }
}

/** A filter pattern CloudWatch refused is the client's: a 400 naming `filter`. */
function rejectedPattern(err: unknown, pattern: string | undefined): InputError | undefined {
  if (!pattern || !(err instanceof InputError) || awsCodeOf(err) !== 'InvalidParameterException') return undefined
  return fieldError('filter', `CloudWatch Logs rejected the filter pattern ${JSON.stringify(pattern)}: ${err.message}`, { cause: err })
}

/** One merged event in the answer's form: its cursor, task, container, RFC 3339 time and message. */
export interface MergedEventJson {
  Id: string
  TaskId: string
  Container: string
  Timestamp: string
  Message: string
}

export function mergedEventJson(event: MergedEvent): MergedEventJson {
  return {
    Id: encodeLogPosition(event.position),
    TaskId: event.source.taskId,
    Container: event.source.container,
    Timestamp: new Date(event.position.timestamp).toISOString(),
    Message: event.message,
  }
}

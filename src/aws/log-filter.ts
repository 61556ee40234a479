import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeLogStreamsCommand, FilterLogEventsCommand } from './sdk/cloudwatch-logs.js'
import { NotFoundError } from '../core/errors.js'
import { mapWithConcurrency } from '../core/concurrency.js'
import { takeJsonAnswer } from './raw-json-answer.js'

/** Reading several log streams of one group at once, in time order (CloudWatch Logs FilterLogEvents). */

/** FilterLogEvents takes at most 100 stream names per call. */
export const MAX_STREAMS_PER_FILTER = 100
/** FilterLogEvents' largest page. */
const MAX_PAGE = 10_000
const FAN_OUT = 4

export interface FilterQuery {
  group: string
  /** 1 to 100 stream names of the group. */
  streams: readonly string[]
  /** A CloudWatch Logs filter pattern. */
  pattern?: string
  /** Epoch milliseconds, inclusive. */
  startTime?: number
  /** Epoch milliseconds, inclusive. */
  endTime?: number
}

export interface FilteredEvent {
  stream: string
  timestamp: number
  eventId: string
  message: string
}

export interface FilterResult {
  /** In the order CloudWatch answered (time order within the call). */
  events: FilteredEvent[]
  /** False when more events match than `max`: the read stopped early. */
  complete: boolean
}

/** A FilterLogEvents answer as JSON has it (see `takeJsonAnswer`). */
interface RawFilterPage {
  events?: { logStreamName?: string | null; timestamp?: number | null; eventId?: string | null; message?: string | null }[] | null
  nextToken?: string | null
}

export interface LogFilter {
  /**
   * The matching events of the streams, following pages until `max` events were read or there are no
   * more. A missing log group reads as empty; streams that do not exist (yet) are left out, since
   * CloudWatch refuses the whole call when one named stream is missing.
   */
  read(query: FilterQuery, max: number, signal?: AbortSignal): Promise<FilterResult>
}

/** The log-filter adapter over one account's client (errors arrive already translated). */
export function logFilter(client: CloudWatchLogsClient): LogFilter {
  /** Which of `streams` exist: one prefix lookup per stream name, a few at a time. */
  async function existing(group: string, streams: readonly string[]): Promise<string[]> {
    const found = await mapWithConcurrency(
      streams,
      async (stream) => {
        const out = await client.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: stream, limit: 1 }))
        return out.logStreams?.some((s) => s.logStreamName === stream) ? stream : undefined
      },
      FAN_OUT,
    )
    return found.filter((s): s is string => s !== undefined)
  }

  async function readAll(query: FilterQuery, streams: readonly string[], max: number, signal?: AbortSignal): Promise<FilterResult> {
    const events: FilteredEvent[] = []
    let nextToken: string | undefined
    do {
      const command = new FilterLogEventsCommand({
        logGroupName: query.group,
        logStreamNames: [...streams],
        ...(query.pattern ? { filterPattern: query.pattern } : {}),
        ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
        ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
        limit: Math.min(MAX_PAGE, max - events.length),
        // Ignored by CloudWatch, which always interleaves now; emulators still need it.
        interleaved: true,
        ...(nextToken ? { nextToken } : {}),
      })
      // Up to 10,000 events a page: parsed once from the answer's JSON, not walked again by the SDK
      // (the wire's member names are the SDK's; null may stand for absent, hence the `== null` checks).
      const answer = takeJsonAnswer(command)
      const sent = await client.send(command, signal ? { abortSignal: signal } : {})
      const out = (answer() as RawFilterPage | undefined) ?? sent
      for (const e of out.events ?? []) {
        if (e.logStreamName == null || e.timestamp == null || e.eventId == null) continue
        events.push({ stream: e.logStreamName, timestamp: e.timestamp, eventId: e.eventId, message: e.message ?? '' })
      }
      nextToken = out.nextToken ?? undefined
    } while (nextToken && events.length < max && !signal?.aborted)
    return { events, complete: !nextToken }
  }

  return {
    async read(query, max, signal) {
      if (query.streams.length === 0) return { events: [], complete: true }
      if (query.streams.length > MAX_STREAMS_PER_FILTER) {
        throw new Error(`FilterLogEvents takes at most ${MAX_STREAMS_PER_FILTER} stream names, got ${query.streams.length}`)
      }
      try {
        return await readAll(query, query.streams, max, signal)
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err
      }
      // A missing group or stream: read the streams that exist, if any.
      let present: string[]
      try {
        present = await existing(query.group, query.streams)
      } catch (err) {
        if (err instanceof NotFoundError) return { events: [], complete: true }
        throw err
      }
      return present.length === 0 ? { events: [], complete: true } : readAll(query, present, max, signal)
    },
  }
}

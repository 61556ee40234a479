import type { CloudWatchLogsClient, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs'
import { GetLogEventsCommand } from './sdk/cloudwatch-logs.js'

/** Reading one log stream's events (CloudWatch Logs GetLogEvents). */

export interface LogEventsQuery {
  group: string
  stream: string
  /** At most this many events (AWS: 1 to 10000; default as many as fit in 1 MB). */
  limit?: number
  /** A `nextForwardToken` of an earlier answer: continue forward from there. */
  forwardToken?: string
  /** Epoch milliseconds, inclusive. */
  startTime?: number
  /** Epoch milliseconds. */
  endTime?: number
}

export type LogEventsPage = Pick<GetLogEventsCommandOutput, 'events' | 'nextForwardToken' | 'nextBackwardToken'>

export interface LogEvents {
  /**
   * One page of events. Without a token AWS answers the newest events; with one the read goes
   * forward from it (`startFromHead`), so a client pages by passing each `nextForwardToken` back
   * until the token it gets equals the one it sent.
   */
  page(query: LogEventsQuery): Promise<LogEventsPage>
}

/** The log-events adapter over one account's client (errors arrive already translated). */
export function logEvents(client: CloudWatchLogsClient): LogEvents {
  return {
    async page(query) {
      const out = await client.send(
        new GetLogEventsCommand({
          logGroupName: query.group,
          logStreamName: query.stream,
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
          ...(query.forwardToken !== undefined ? { nextToken: query.forwardToken, startFromHead: true } : {}),
          ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
          ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
        }),
      )
      return { events: out.events ?? [], nextForwardToken: out.nextForwardToken, nextBackwardToken: out.nextBackwardToken }
    },
  }
}

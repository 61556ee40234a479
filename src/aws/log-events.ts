import type { CloudWatchLogsClient, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs'
import { logEventsText, type LogEventsText } from '../codec/log-events-text.js'
import { GetLogEventsCommand } from './sdk/cloudwatch-logs.js'
import { parseJsonAnswer, takeAnswer, takeJsonAnswer } from './raw-json-answer.js'

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

/**
 * A page read to be written out whole: GetLogEvents' answer text, passed through (see
 * `logEventsText`), or its events where the text does not allow that.
 */
export type LogEventsAnswer = { text: LogEventsText } | { page: LogEventsPage }

export interface LogEvents {
  /**
   * One page of events. Without a token AWS answers the newest events; with one the read goes
   * forward from it (`startFromHead`), so a client pages by passing each `nextForwardToken` back
   * until the token it gets equals the one it sent.
   */
  page(query: LogEventsQuery): Promise<LogEventsPage>
  /**
   * The same page, kept as AWS's text where it can be passed through. `signal` abandons the read
   * (it then rejects).
   */
  answer(query: LogEventsQuery, signal?: AbortSignal): Promise<LogEventsAnswer>
}

type LogEvent = NonNullable<GetLogEventsCommandOutput['events']>[number]

/** GetLogEvents' answer as JSON has it: the SDK's member names (awsJson 1.1), where null may stand for absent. */
interface RawLogEventsPage {
  events?: (LogEvent | null)[] | null
  nextForwardToken?: string | null
  nextBackwardToken?: string | null
}

/** Null members read as absent, as the SDK's deserializer leaves them out (AWS sends none so far). */
function withoutNulls(event: LogEvent | null): LogEvent {
  if (event === null) return {}
  if (event.timestamp !== null && event.message !== null && event.ingestionTime !== null) return event
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== null))
}

function pageOf(out: RawLogEventsPage): LogEventsPage {
  return {
    events: (out.events ?? []).map(withoutNulls),
    nextForwardToken: out.nextForwardToken ?? undefined,
    nextBackwardToken: out.nextBackwardToken ?? undefined,
  }
}

/** The SDK's own output (a command answered without reaching the stack, e.g. by a test double). */
function sdkPageOf(out: GetLogEventsCommandOutput): LogEventsPage {
  return {
    events: out.events ?? [],
    nextForwardToken: out.nextForwardToken ?? undefined,
    nextBackwardToken: out.nextBackwardToken ?? undefined,
  }
}

function commandOf(query: LogEventsQuery): InstanceType<typeof GetLogEventsCommand> {
  return new GetLogEventsCommand({
    logGroupName: query.group,
    logStreamName: query.stream,
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.forwardToken !== undefined ? { nextToken: query.forwardToken, startFromHead: true } : {}),
    ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
    ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
  })
}

/** The answer's text when it can be passed through, else its JSON (parsed where the SDK would have: a parse error fails the call). */
function textOrJson(bytes: Buffer): { text: LogEventsText } | { json: unknown } {
  const text = logEventsText(bytes)
  return text ? { text } : { json: parseJsonAnswer(bytes) }
}

/** The log-events adapter over one account's client (errors arrive already translated). */
export function logEvents(client: CloudWatchLogsClient): LogEvents {
  return {
    async page(query) {
      const command = commandOf(query)
      // Up to 10,000 events: parsed once from the answer's JSON, not walked again by the SDK.
      const answer = takeJsonAnswer(command)
      const out = await client.send(command)
      const raw = answer() as RawLogEventsPage | undefined
      return raw ? pageOf(raw) : sdkPageOf(out)
    },
    async answer(query, signal) {
      const command = commandOf(query)
      const answer = takeAnswer(command, textOrJson)
      const out = await client.send(command, signal ? { abortSignal: signal } : {})
      const taken = answer()
      if (taken && 'text' in taken) return taken
      // As `page` reads it.
      const raw = taken?.json as RawLogEventsPage | undefined
      return { page: raw ? pageOf(raw) : sdkPageOf(out) }
    },
  }
}

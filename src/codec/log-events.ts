import type * as Logs from '@aws-sdk/client-cloudwatch-logs'
import type { OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import { lazyPackage, lazySchema } from '../core/lazy/lazy-package.js'
import { encode, type JsonValue } from './encode.js'
import type { LogEventsText } from './log-events-text.js'

/**
 * The codec may not import the adapters' loaders (src/aws/sdk); this one loads the same package on
 * first use, and Node's module cache makes it the same instance.
 */
const OutputLogEvent$ = lazySchema(lazyPackage<typeof Logs>('@aws-sdk/client-cloudwatch-logs'), 'OutputLogEvent$')

/** The logs route's answer, in the original's member names. */
export interface ServiceLogs {
  Events: JsonValue[]
  NextBackwardToken: string | null
  NextForwardToken: string | null
}

/**
 * The single-stream answer with its events as AWS gave them: mapped as they are written, or still
 * AWS's answer text, rewritten as it is written (`logEventsText`).
 */
export type ServiceLogsPage = Omit<ServiceLogs, 'Events'> & ({ events: readonly OutputLogEvent[] } | { text: LogEventsText })

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

/** The single-stream answer around its events: what comes before the first and after the last. */
export const SERVICE_LOGS_HEAD = '{"Events":['

export function serviceLogsTail(tokens: Pick<ServiceLogs, 'NextBackwardToken' | 'NextForwardToken'>): string {
  return `],"NextBackwardToken":${JSON.stringify(tokens.NextBackwardToken)},"NextForwardToken":${JSON.stringify(tokens.NextForwardToken)}}`
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

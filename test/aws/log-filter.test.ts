/**
 * The FilterLogEvents adapter following CloudWatch's pages. CloudWatch may answer a page with fewer
 * events than asked for (even none) and a nextToken while it scans on; moto always fills the page, so
 * these cases run against an SDK mock of CloudWatch Logs.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { logFilter } from '../../src/aws/log-filter.js'
import { MOTO_CREDENTIALS, MOTO_REGION } from '../harness/moto.js'

const client = new CloudWatchLogsClient({ region: MOTO_REGION, credentials: MOTO_CREDENTIALS })
const cloudWatch = mockClient(client)
afterEach(() => cloudWatch.reset())

/** One event of stream `s` at `t`, with an event id that orders as CloudWatch's do. */
const event = (s: string, t: number) => ({ logStreamName: s, timestamp: t, eventId: String(t).padStart(8, '0'), message: `${s}@${t}`, ingestionTime: t })

/** Answers the pages in turn, each after the token the previous one gave; records every call's input. */
function pages(...answers: { events: ReturnType<typeof event>[] }[]): FilterLogEventsCommandInput[] {
  const calls: FilterLogEventsCommandInput[] = []
  cloudWatch.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
    calls.push(input)
    const index = input.nextToken === undefined ? 0 : Number(input.nextToken)
    const page = answers[index]!
    return { events: page.events, ...(index + 1 < answers.length ? { nextToken: String(index + 1) } : {}) }
  })
  return calls
}

describe('logFilter().read', () => {
  it('follows nextToken across short and empty pages until CloudWatch gives none (SDK mock: CloudWatch answers short pages)', async () => {
    const calls = pages(
      { events: [event('a', 1), event('b', 2)] },
      { events: [] },
      { events: [event('a', 3)] },
    )
    const read = await logFilter(client).read({ group: 'g', streams: ['a', 'b'], pattern: 'ERROR', startTime: 1, endTime: 9 }, 100)
    expect(read.complete).toBe(true)
    expect(read.events.map((e) => e.message)).toEqual(['a@1', 'b@2', 'a@3'])
    expect(calls.map((c) => c.nextToken)).toEqual([undefined, '1', '2'])
    // Every page asks for the same streams and window, and only for what is still wanted.
    for (const c of calls) expect(c).toMatchObject({ logGroupName: 'g', logStreamNames: ['a', 'b'], filterPattern: 'ERROR', startTime: 1, endTime: 9 })
    expect(calls.map((c) => c.limit)).toEqual([100, 98, 98])
  })

  it('stops once it has the events asked for and says more follow (SDK mock: CloudWatch answers short pages)', async () => {
    const calls = pages({ events: [event('a', 1), event('a', 2)] }, { events: [event('a', 3), event('a', 4)] }, { events: [event('a', 5)] })
    const read = await logFilter(client).read({ group: 'g', streams: ['a'] }, 4)
    expect(read.events.map((e) => e.timestamp)).toEqual([1, 2, 3, 4])
    expect(read.complete).toBe(false)
    expect(calls).toHaveLength(2)
  })

  it('refuses more than 100 stream names in one call', async () => {
    pages({ events: [] })
    const streams = Array.from({ length: 101 }, (_, i) => `s${i}`)
    await expect(logFilter(client).read({ group: 'g', streams }, 10)).rejects.toThrow(/at most 100 stream names/)
  })
})

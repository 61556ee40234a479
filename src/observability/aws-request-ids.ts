/**
 * The AWS request ids of the changes one HTTP request made, for its audit record. The request runs
 * its handler inside `collectAwsRequestIds`; the SDK instrumentation notes the id of every call
 * that is not a read (Describe, List, Get), wherever in the request's async work it happens.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const MAX_IDS = 20
const READS = /^(Describe|List|Get|BatchGet|Search)/
const storage = new AsyncLocalStorage<string[]>()

/** Runs `work` with `ids` collecting the request ids of the AWS writes it makes. */
export function collectAwsRequestIds(ids: string[], work: () => void): void {
  storage.run(ids, work)
}

export function noteAwsRequestId(operation: string, requestId: string | undefined): void {
  const ids = storage.getStore()
  if (!ids || requestId === undefined || requestId === '' || READS.test(operation)) return
  if (ids.length < MAX_IDS && !ids.includes(requestId)) ids.push(requestId)
}

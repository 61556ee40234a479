/**
 * The AWS request ids of the changes one HTTP request made, for its audit record. The request runs
 * its handler inside `collectAwsRequestIds`; the SDK instrumentation notes the id of every call
 * that is not a read (Describe, List, Get), wherever in the request's async work it happens.
 *
 * The storage is switched off whenever no request is collecting: on Node 20 an AsyncLocalStorage,
 * once used, keeps a hook on every promise the process creates (the SDK makes about a hundred per
 * call), which would tax every read for as long as the process lives after its first change.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const MAX_IDS = 20
const READS = /^(Describe|List|Get|BatchGet|Search)/
const storage = new AsyncLocalStorage<string[]>()
let collecting = 0

/**
 * Runs `work` with `ids` collecting the request ids of the AWS writes it makes. The answer is the
 * end of the collection (call it once the ids are no longer read; further calls do nothing).
 */
export function collectAwsRequestIds(ids: string[], work: () => void): () => void {
  collecting++
  let ended = false
  storage.run(ids, work)
  return () => {
    if (ended) return
    ended = true
    collecting--
    // No request reads ids any more: drop the promise hook until the next change comes.
    if (collecting === 0) storage.disable()
  }
}

export function noteAwsRequestId(operation: string, requestId: string | undefined): void {
  const ids = storage.getStore()
  if (!ids || requestId === undefined || requestId === '' || READS.test(operation)) return
  if (ids.length < MAX_IDS && !ids.includes(requestId)) ids.push(requestId)
}

import { Readable } from 'node:stream'

/**
 * A JSON answer whose bulk is one array, written as it is read: `head`, the items' JSON separated by
 * commas, then `tail` (e.g. `{"Events":[`, events, `],"Next":null}`), the same bytes as one
 * `JSON.stringify` of the whole answer. Items are turned into text only when the socket takes more,
 * a chunk at a time, so a 10,000-item answer is never held as objects and text at once, and a client
 * that goes away stops the work (Fastify destroys the stream).
 *
 * Nothing here waits on AWS: callers read everything the answer needs before sending it, so an AWS
 * failure is still a problem answer with its status. A failure while writing (the item encoder
 * throwing) destroys the stream: before the first chunk it is an ordinary error answer, after it
 * Fastify logs it and cuts the connection, so the client sees a truncated body (no final chunk of
 * the chunked encoding), never a short answer that parses.
 */

/** Characters per chunk: large enough that a 1.7 MB answer is a few dozen writes. */
const CHUNK_CHARS = 64 * 1024

export function jsonArrayBody<T>(head: string, items: readonly T[], itemJson: (item: T) => string, tail: string): Readable {
  let next = 0
  let started = false
  return new Readable({
    read() {
      try {
        let chunk = started ? '' : head
        started = true
        while (chunk.length < CHUNK_CHARS && next < items.length) {
          chunk += next === 0 ? itemJson(items[next]!) : `,${itemJson(items[next]!)}`
          next++
        }
        if (next < items.length) {
          this.push(chunk)
          return
        }
        this.push(chunk + tail)
        this.push(null)
      } catch (err) {
        this.destroy(err instanceof Error ? err : new Error(String(err)))
      }
    },
  })
}

import { Readable } from 'node:stream'

/**
 * A JSON answer whose bulk is one array, written as it is read: `head`, the items, then `tail` (e.g.
 * `{"Events":[`, events, `],"Next":null}`), the same bytes as one `JSON.stringify` of the whole
 * answer. Items are mapped (`toJson`) and turned into text only when the socket takes more, a batch
 * at a time, so a 10,000-item answer is never held as AWS objects, answer objects and text at once,
 * and a client that goes away stops the work (Fastify destroys the stream when the response closes).
 *
 * Nothing here waits on AWS: callers read everything the answer needs before sending it, so an AWS
 * failure is still a problem answer with its status. A failure while writing (a mapping throwing)
 * destroys the stream: before the first chunk Fastify answers it as an error, after it Fastify logs
 * it and cuts the connection, so the client sees a truncated body (the chunked encoding never gets
 * its last chunk), never a short answer that parses.
 */

/**
 * Items per chunk. One `JSON.stringify` over a batch of mapped items is the fastest way to their text
 * (faster than per item, and than one call over the whole array plus its copy into a buffer); 512
 * log events are about 85 KB.
 */
const BATCH = 512

export function jsonArrayBody<T>(head: string, items: readonly T[], toJson: (item: T) => unknown, tail: string): Readable {
  return jsonChunksBody(head, Math.ceil(items.length / BATCH), (i) => {
    const from = i * BATCH
    const end = Math.min(from + BATCH, items.length)
    const batch = new Array<unknown>(end - from)
    for (let j = from; j < end; j++) batch[j - from] = toJson(items[j]!)
    // `[a,b]` without its brackets is the array's middle; batches are joined by a comma.
    return (i > 0 ? ',' : '') + JSON.stringify(batch).slice(1, -1)
  }, tail)
}

/**
 * The same for an answer whose middle is made `chunks` pieces at a time (`chunk(i)`: JSON text, or
 * its UTF-8 bytes; the pieces joined in order make the middle, commas included), written as the
 * socket takes more.
 */
export function jsonChunksBody(head: string, chunks: number, chunk: (i: number) => string | Buffer, tail: string): Readable {
  let next = 0
  return new Readable({
    read() {
      try {
        const parts: (string | Buffer)[] = next === 0 ? [head] : []
        if (next < chunks) parts.push(chunk(next))
        next++
        const last = next >= chunks
        if (last) parts.push(tail)
        // Text is pushed as one string; bytes as they are, beside the text around them.
        if (parts.every((p) => typeof p === 'string')) this.push(parts.join(''))
        else for (const part of parts) this.push(part)
        if (last) this.push(null)
      } catch (err) {
        this.destroy(err instanceof Error ? err : new Error(String(err)))
      }
    },
  })
}

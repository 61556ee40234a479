import type { DeserializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types'

/**
 * Taking a successful answer's JSON body before the SDK's deserializer walks it.
 *
 * The SDK parses a JSON answer and then copies it member by member along the operation's schema.
 * For a page of 10,000 log events that walk and the second copy it leaves behind cost more CPU time
 * and memory than everything the logs route itself does, while the wire members of these answers
 * (awsJson 1.1) already are the SDK's member names. So the body of a 2xx answer is parsed once here
 * and the deserializer is handed an empty object instead. Error answers keep their body and go the
 * SDK's way (its error parsing, retries and the client's error translation are untouched). A command
 * sent to a test double never reaches the stack: the taker then has nothing and the caller reads the
 * SDK's output as usual.
 */

interface RawResponse {
  statusCode?: number
  body?: unknown
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body)
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}

/** The answer's JSON as the SDK would have parsed it (an empty body: `{}`). */
export function parseJsonAnswer(bytes: Buffer): unknown {
  const text = bytes.toString('utf8')
  return text.trim() === '' ? {} : JSON.parse(text)
}

/**
 * Arranges for `command`'s successful answer to be parsed here. After `client.send(command)`
 * resolved, the returned function gives that answer's JSON (undefined when the command did not go
 * through the stack, e.g. to a test double).
 */
export function takeJsonAnswer<I extends object, O extends MetadataBearer>(command: { middlewareStack: MiddlewareStack<I, O> }): () => unknown {
  return takeAnswer(command, parseJsonAnswer)
}

/**
 * Arranges for `command`'s successful answer to be read by `read` from its bytes, where the SDK's
 * deserializer would have parsed it: what `read` throws (a body that is not JSON) fails the call
 * as the SDK's own parse error would have. After `client.send(command)` resolved, the returned
 * function gives what `read` returned (undefined when the command did not go through the stack).
 */
export function takeAnswer<I extends object, O extends MetadataBearer, T>(
  command: { middlewareStack: MiddlewareStack<I, O> },
  read: (bytes: Buffer) => T,
): () => T | undefined {
  let taken: T | undefined
  const take: DeserializeMiddleware<I, O> = (next) => async (args) => {
    const result = await next(args)
    const response = result.response as RawResponse
    const status = response.statusCode ?? 0
    if (status >= 200 && status < 300 && response.body != null) {
      taken = read(await bodyBytes(response.body))
      // `{}`, made per answer: the deserializer owns what it is given.
      response.body = Uint8Array.of(0x7b, 0x7d)
    }
    return result
  }
  // Right after the deserializer, so this sees the raw answer first, on every attempt.
  command.middlewareStack.addRelativeTo(take, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'ecsApiTakeJsonAnswer',
  })
  return () => taken
}

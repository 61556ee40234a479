import type { HttpHandlerOptions } from '@smithy/types'
import type { UndiciHttpHandler } from '@smithy/undici-http-handler'
import type { Agent } from 'undici'
import { undiciHttpHandlerPackage } from './sdk/undici-http-handler.js'

/**
 * How every account client sends its AWS calls: undici instead of node:http. The SDK's default
 * handler spent 40 to 140 µs more CPU per call (more with calls in flight side by side) in Node's
 * `ClientRequest`, agent and response parsing and in the four timers it arms per call
 * (bench/README.md, "Sending AWS calls with undici"). The rules are the ones it had:
 * - one pool of keep-alive sockets per client (so closing one app's clients never cuts another's
 *   calls), closed by the client's `destroy()`; up to 256 sockets per host, no pipelining, no
 *   Nagle; idle sockets stay open until the host closes them (as node:http's agent keeps them), at
 *   most 10 minutes;
 * - a connection must be made within 3 s (`connectionTimeout`), or the attempt fails with a
 *   `TimeoutError`, which the SDK retries;
 * - the 15 s `requestTimeout` only warns, as with node:http (without `throwOnRequestTimeout`): a
 *   slow answer is waited for, so undici's own header and body timeouts are off;
 * - an aborted call fails with the same `AbortError` ("Request aborted", the reason as its cause);
 * - TLS certificates are verified (undici's default), the body is a Node `Readable` stream.
 */
const dispatcher: Agent.Options = {
  connections: 256,
  pipelining: 1,
  connect: { timeout: 3_000 },
  headersTimeout: 0,
  bodyTimeout: 0,
  keepAliveTimeout: 600_000,
  keepAliveMaxTimeout: 600_000,
}

const REQUEST_TIMEOUT_MS = 15_000

type Handled = Awaited<ReturnType<UndiciHttpHandler['handle']>>
type HttpRequest = Parameters<UndiciHttpHandler['handle']>[0]

/** The error node:http's handler rejects an aborted call with: the reason as its cause, or its message. */
function abortError(signal: HttpHandlerOptions['abortSignal']): Error {
  const reason: unknown = signal && 'reason' in signal ? signal.reason : undefined
  const message = typeof reason === 'string' && reason !== '' ? reason : 'Request aborted'
  const error = reason instanceof Error ? new Error('Request aborted', { cause: reason }) : new Error(message)
  error.name = 'AbortError'
  return error
}

/**
 * Network errors as node:http's handler reported them: a connection closed before the answer is
 * `ECONNRESET` there (undici: `UND_ERR_SOCKET`), and resets, broken pipes and timeouts are named
 * `TimeoutError`. The SDK retries either form; the problem's detail names the code.
 */
function asNodeHttpError(err: unknown): unknown {
  const e = err as { code?: unknown; name?: unknown } | null
  if (e === null || typeof e !== 'object') return err
  if (e.code === 'UND_ERR_SOCKET') e.code = 'ECONNRESET'
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.code === 'ETIMEDOUT') e.name = 'TimeoutError'
  return err
}

function warnSlowCall(): void {
  // The SDK's default handler warns on the console too (the clients have no logger of their own).
  // eslint-disable-next-line no-console
  console.warn(`AWS call: no answer within the configured ${REQUEST_TIMEOUT_MS} ms requestTimeout; still waiting.`)
}

type HandlerClass = new (options: ConstructorParameters<typeof UndiciHttpHandler>[0]) => UndiciHttpHandler

let handlerClass: HandlerClass | undefined

/** Made on first use, as the package it extends is loaded then. */
function awsRequestHandlerClass(): HandlerClass {
  const { UndiciHttpHandler } = undiciHttpHandlerPackage()
  return class AwsRequestHandler extends UndiciHttpHandler {
    readonly metadata = { handlerProtocol: 'http/1.1' }

    /**
     * Idle sockets close now, calls in flight finish on theirs (undici's `destroy()` would cut
     * them, as node:http's agent did, after which the SDK sent them again), and a client still
     * used afterwards opens a new pool, as it opened new sockets before.
     */
    override destroy(): void {
      // Handing the handler its options again closes (`close()`, not `destroy()`) its current pool.
      this.updateHttpClientConfig('dispatcher', dispatcher)
    }

    override async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<Handled> {
      if (options.abortSignal?.aborted) throw abortError(options.abortSignal)
      const slow = setTimeout(warnSlowCall, REQUEST_TIMEOUT_MS)
      try {
        return await super.handle(request, options)
      } catch (err) {
        throw options.abortSignal?.aborted ? abortError(options.abortSignal) : asNodeHttpError(err)
      } finally {
        clearTimeout(slow)
      }
    }
  }
}

/** A new request handler, with a socket pool of its own (made on its first call), for one SDK client. */
export function awsRequestHandler(): UndiciHttpHandler {
  handlerClass ??= awsRequestHandlerClass()
  return new handlerClass({ dispatcher })
}

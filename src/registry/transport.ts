import type { LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { UpstreamError } from '../core/errors.js'
import { urlHostname } from './host-list.js'

/**
 * One HTTP exchange with a registry or token service, connected to addresses the network guard
 * already checked.
 *
 * Why node:http(s) and not fetch: fetch resolves the host name again on its own, and only an undici
 * `Agent` (not exposed by Node, and not a dependency here) could pin the connection. A `lookup` that
 * answers from the checked addresses closes the DNS-rebinding gap, while TLS still verifies the
 * certificate against the host name. One connection per exchange: a check makes at most four.
 */

export interface Exchange {
  url: URL
  method: 'HEAD' | 'GET'
  headers: Record<string, string>
  /** The guard's addresses for `url`'s host; the only ones connected to. */
  addresses: readonly LookupAddress[]
  signal: AbortSignal
  /** Larger bodies are refused (a token answer is a few KiB). */
  maxBodyBytes?: number
}

export interface ExchangeResult {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A transport failure: the check's deadline passed, the connection failed, or the answer was too big. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'too-large',
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // Happy eyeballs (autoSelectFamily) asks for all addresses; a plain connect for one.
    if (options.all) callback(null, [...addresses])
    else callback(null, addresses[0]!.address, addresses[0]!.family)
  }
}

/** Sends one request; resolves with the status, headers and (bounded) body, whatever the status. */
function exchange(ex: Exchange): Promise<ExchangeResult> {
  const send = ex.url.protocol === 'http:' ? httpRequest : httpsRequest
  const limit = ex.maxBodyBytes ?? 256 * 1024
  return new Promise<ExchangeResult>((resolve, reject) => {
    const fail = (err: unknown): void => {
      if (ex.signal.aborted) reject(new TransportError('timeout', 'timed out'))
      else if (err instanceof TransportError) reject(err)
      else reject(new TransportError('network', (err as NodeJS.ErrnoException).code ?? (err as Error).message))
    }
    const req = send(
      {
        protocol: ex.url.protocol,
        hostname: urlHostname(ex.url),
        port: ex.url.port || undefined,
        path: `${ex.url.pathname}${ex.url.search}`,
        method: ex.method,
        headers: { ...ex.headers, connection: 'close' },
        lookup: pinnedLookup(ex.addresses),
        signal: ex.signal,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > limit) res.destroy(new TransportError('too-large', `answer larger than ${limit} bytes`))
          else chunks.push(chunk)
        })
        res.on('error', fail)
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      },
    )
    req.on('error', fail)
    req.end()
  })
}

/** Seconds from a `Retry-After` of seconds, clamped; 1 when absent or a date. */
export function retryAfterSeconds(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value)
  return Number.isInteger(n) && n > 0 ? Math.min(n, 3600) : 1
}

/** Sends one exchange, turning transport failures into 502s that name the host and what failed. */
export async function call(role: string, ex: Exchange, timeoutMs: number): Promise<ExchangeResult> {
  try {
    return await exchange(ex)
  } catch (err) {
    if (!(err instanceof TransportError)) throw err
    if (err.kind === 'timeout') throw new UpstreamError(`${role} ${ex.url.host} did not answer within ${timeoutMs} ms`)
    throw new UpstreamError(`${role} ${ex.url.host} failed: ${err.message}`)
  }
}

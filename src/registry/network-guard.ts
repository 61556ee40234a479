import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { isIP } from 'node:net'
import { InputError, UpstreamError } from '../core/errors.js'
import { refusedAddressClass } from './address-class.js'
import { HostList, urlHostname, urlPort } from './host-list.js'

/** Resolves a host name to all its addresses (node:dns `lookup`, i.e. the system resolver). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)))
  })

/** Which host is being resolved, for messages: the registry itself or its token service. */
export type HostRole = 'registry host' | 'token realm host'

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/**
 * The SSRF guard. A caller chooses the registry host, and the registry chooses its token realm, so
 * neither may lead this service to loopback, private, link-local or metadata addresses unless the
 * operator listed that host in `images.allowedPrivateHosts`.
 *
 * DNS rebinding: `resolve` returns the addresses it checked, and the transport connects to exactly
 * those (its `lookup` answers from them), so a second, different DNS answer is never used.
 */
export class NetworkGuard {
  private readonly allowed: HostList

  constructor(
    allowedPrivateHosts: readonly string[],
    private readonly resolver: Resolver = systemResolver,
  ) {
    this.allowed = new HostList(allowedPrivateHosts)
  }

  /** The checked addresses of `url`'s host; an `InputError` naming the reason when it is refused. */
  async resolve(url: URL, role: HostRole, signal: AbortSignal): Promise<LookupAddress[]> {
    const hostname = urlHostname(url)
    const port = urlPort(url)
    const family = isIP(hostname)
    const addresses = family !== 0 ? [{ address: hostname, family }] : await this.lookup(hostname, role, signal)
    if (addresses.length === 0) throw new InputError(`${role} "${url.host}" does not resolve`)
    if (this.allowed.has(hostname, port)) return addresses
    for (const { address } of addresses) {
      const refused = refusedAddressClass(address)
      if (refused) {
        throw new InputError(
          `${role} "${url.host}" ${family !== 0 ? 'is' : 'resolves to'} a ${refused} address; refused ` +
            '(operators can allow the host in images.allowedPrivateHosts)',
        )
      }
    }
    return addresses
  }

  private async lookup(hostname: string, role: HostRole, signal: AbortSignal): Promise<LookupAddress[]> {
    try {
      return await abortable(this.resolver(hostname), signal)
    } catch (err) {
      if (signal.aborted) throw new UpstreamError(`${role} "${hostname}" did not resolve before the image check's deadline`)
      const code = (err as NodeJS.ErrnoException).code
      // A name that does not exist is the caller's mistake; a resolver failure is ours or upstream's.
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw new InputError(`${role} "${hostname}" does not resolve`)
      throw new UpstreamError(`could not resolve ${role} "${hostname}": ${code ?? (err as Error).message}`)
    }
  }
}

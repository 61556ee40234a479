/**
 * Host lists from the `images` config (`allowedPrivateHosts`, `allowedRealmHosts`, `insecureHosts`):
 * each entry is `host` (any port) or `host:port`; IPv6 as `[::1]`, `[::1]:5000` or bare `::1`.
 * Matching is case-insensitive, as host names are.
 */

interface HostEntry {
  host: string
  port: number | undefined
}

function parseEntry(entry: string): HostEntry {
  const text = entry.trim().toLowerCase()
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) }
  const hostPort = /^([^:]+):(\d+)$/.exec(text)
  if (hostPort) return { host: hostPort[1]!, port: Number(hostPort[2]) }
  return { host: text, port: undefined }
}

/** The host name of a URL without IPv6 brackets, lower-cased. */
export function urlHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
}

/** The port a URL connects to, defaults included. */
export function urlPort(url: URL): number {
  if (url.port !== '') return Number(url.port)
  return url.protocol === 'http:' ? 80 : 443
}

export class HostList {
  private readonly entries: readonly HostEntry[]

  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseEntry)
  }

  /** True when `hostname` (no brackets) on `port` is listed, by name alone or with that port. */
  has(hostname: string, port: number): boolean {
    const host = hostname.toLowerCase()
    return this.entries.some((e) => e.host === host && (e.port === undefined || e.port === port))
  }

  /** `has` for a `host[:port]` string as it appears in an image reference; no port means `defaultPort`. */
  hasAuthority(authority: string, defaultPort: number): boolean {
    const { host, port } = parseEntry(authority)
    return this.has(host, port ?? defaultPort)
  }
}

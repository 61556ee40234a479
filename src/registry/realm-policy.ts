import { isIP } from 'node:net'
import { HostList } from './host-list.js'

/**
 * Where caller credentials may go besides the registry host: a token realm on the registry's own
 * registrable domain (`registry-1.docker.io` -> `auth.docker.io`), or a realm host the operator
 * allowed in `images.allowedRealmHosts`.
 *
 * The registrable domain is computed without the full Public Suffix List (no dependency for it): the
 * last two labels; three under country second levels (`example.co.uk`); and the whole host name under
 * the hosting domains of multi-tenant registries, where sibling names belong to different customers.
 * The rule errs towards refusing; a realm it misjudges can be allowed explicitly.
 */
const SHARED_SUFFIXES = new Set([
  // multi-tenant registry and hosting domains: tenant.suffix names are owned by different customers
  'azurecr.io',
  'amazonaws.com',
  'pkg.dev',
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'appspot.com',
  'cloudfront.net',
  'azurewebsites.net',
  'ngrok.io',
  'ngrok.app',
])
const COUNTRY_SECOND_LEVELS = new Set(['ac', 'co', 'com', 'edu', 'gov', 'ltd', 'me', 'net', 'or', 'org', 'plc', 'ne', 'go', 'gob', 'mil', 'nic'])

/** The registrable domain of a host name (an IP address is its own). */
export function registrableDomain(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (isIP(host) !== 0) return host
  const labels = host.split('.')
  if (labels.length <= 2) return host
  const lastTwo = labels.slice(-2).join('.')
  const isCountrySecondLevel = labels.at(-1)!.length === 2 && COUNTRY_SECOND_LEVELS.has(labels.at(-2)!)
  for (const suffix of SHARED_SUFFIXES) if (host.endsWith(`.${suffix}`)) return host
  return isCountrySecondLevel ? labels.slice(-3).join('.') : lastTwo
}

export class RealmPolicy {
  private readonly allowed: HostList

  constructor(allowedRealmHosts: readonly string[]) {
    this.allowed = new HostList(allowedRealmHosts)
  }

  /** True when credentials meant for `registryHostname` may be sent to the realm at `realmHostname:realmPort`. */
  mayReceiveCredentials(registryHostname: string, realmHostname: string, realmPort: number): boolean {
    if (this.allowed.has(realmHostname, realmPort)) return true
    return registrableDomain(registryHostname) === registrableDomain(realmHostname)
  }
}

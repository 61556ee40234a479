import { InputError, ThrottledError, UpstreamError } from '../core/errors.js'
import type { Challenge } from './challenge.js'
import { type HostList, urlHostname, urlPort } from './host-list.js'
import type { NetworkGuard } from './network-guard.js'
import type { RealmPolicy } from './realm-policy.js'
import { basicAuthorization, type RegistryCredentials } from './registry-auth.js'
import { DEFAULT_TOKEN_SECONDS } from './token-cache.js'
import { call, retryAfterSeconds } from './transport.js'

/** A token from a registry's token service (distribution's token auth, as Docker Hub speaks it). */
export interface IssuedToken {
  token: string
  lifetimeSeconds: number
  /** The realm's host, for messages. */
  realmHost: string
}

export interface TokenRequest {
  registryUrl: URL
  challenge: Challenge
  /** The scope to ask for when the challenge names none. */
  defaultScope: string
  credentials: RegistryCredentials | undefined
  signal: AbortSignal
}

export interface TokenServiceDeps {
  guard: NetworkGuard
  realmPolicy: RealmPolicy
  insecureHosts: HostList
  userAgent: string
  timeoutMs: number
}

// A token travels in an HTTP header: visible ASCII only, so a hostile answer cannot inject headers.
const HEADER_SAFE = /^[\x21-\x7e]{1,16384}$/

function realmOf(registryHost: string, challenge: Challenge): URL {
  const text = challenge.params.realm
  if (!text) throw new UpstreamError(`registry ${registryHost} asked for a bearer token but named no token realm`)
  let realm: URL
  try {
    realm = new URL(text)
  } catch {
    throw new UpstreamError(`registry ${registryHost} named an invalid token realm`)
  }
  if ((realm.protocol !== 'https:' && realm.protocol !== 'http:') || realm.username || realm.password) {
    throw new UpstreamError(`registry ${registryHost} named a token realm that is not a plain http(s) URL`)
  }
  return realm
}

/**
 * Gets a token for `challenge`. Undefined when the token service refuses the credentials (401/403):
 * they do not grant pull. Caller credentials go to the realm only when the realm policy allows it,
 * and never over plain HTTP unless the operator listed the realm host as insecure.
 */
export async function requestToken(req: TokenRequest, deps: TokenServiceDeps): Promise<IssuedToken | undefined> {
  const registryHost = req.registryUrl.host
  const realm = realmOf(registryHost, req.challenge)
  const realmHost = urlHostname(realm)
  const realmPort = urlPort(realm)
  if (realm.protocol === 'http:' && !deps.insecureHosts.has(realmHost, realmPort)) {
    throw new InputError(`token realm ${realm.host} of registry ${registryHost} is plain HTTP; refused (operators can list it in images.insecureHosts)`)
  }
  if (req.credentials && !deps.realmPolicy.mayReceiveCredentials(urlHostname(req.registryUrl), realmHost, realmPort)) {
    throw new InputError(
      `registry ${registryHost} sends credentials to token realm ${realm.host}, which is not on its domain; refused ` +
        '(operators can allow the realm in images.allowedRealmHosts)',
    )
  }
  const addresses = await deps.guard.resolve(realm, 'token realm host', req.signal)

  if (req.challenge.params.service) realm.searchParams.append('service', req.challenge.params.service)
  realm.searchParams.append('scope', req.challenge.params.scope || req.defaultScope)
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': deps.userAgent }
  if (req.credentials) headers.authorization = basicAuthorization(req.credentials)
  const res = await call('token service', { url: realm, method: 'GET', headers, addresses, signal: req.signal }, deps.timeoutMs)

  if (res.status === 401 || res.status === 403) return undefined
  if (res.status === 429) {
    throw new ThrottledError(`token service ${realm.host} is rate limiting (HTTP 429)`, { retryAfter: retryAfterSeconds(res.headers['retry-after']) })
  }
  if (res.status < 200 || res.status > 299) throw new UpstreamError(`token service ${realm.host} answered HTTP ${res.status}`)
  return { ...parseTokenAnswer(res.body, realm.host), realmHost: realm.host }
}

/** `token`, else `access_token` (OAuth 2 spelling); `expires_in` in seconds, 60 when absent. */
function parseTokenAnswer(body: Buffer, realmHost: string): { token: string; lifetimeSeconds: number } {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    throw new UpstreamError(`token service ${realmHost} answered with something other than JSON`)
  }
  const answer = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  const token = [answer.token, answer.access_token].find((t) => typeof t === 'string' && t !== '')
  if (typeof token !== 'string') throw new UpstreamError(`token service ${realmHost} answered without a token`)
  if (!HEADER_SAFE.test(token)) throw new UpstreamError(`token service ${realmHost} answered with a malformed token`)
  const expiresIn = answer.expires_in
  const lifetimeSeconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_SECONDS
  return { token, lifetimeSeconds }
}

import type { IncomingHttpHeaders } from 'node:http'
import { ThrottledError, UpstreamError } from '../core/errors.js'
import { versionInfo } from '../observability/version.js'
import { bearerChallenge } from './challenge.js'
import { HostList } from './host-list.js'
import { NetworkGuard, type Resolver } from './network-guard.js'
import { RealmPolicy } from './realm-policy.js'
import type { ImageReference } from './reference.js'
import { basicAuthorization, type RegistryCredentials } from './registry-auth.js'
import { TokenCache } from './token-cache.js'
import { requestToken, type TokenServiceDeps } from './token-service.js'
import { call, retryAfterSeconds, type ExchangeResult } from './transport.js'

/**
 * Every manifest type a tag or digest can name. A registry answers 404 for a stored type the client
 * does not accept (OCI), or substitutes another manifest (a Docker list), so all four are always sent.
 */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const

export interface RegistryClientConfig {
  allowedPrivateHosts: readonly string[]
  allowedRealmHosts: readonly string[]
  insecureHosts: readonly string[]
  /** Deadline of one whole check: DNS, registry, token service and retry together. */
  timeoutMs: number
}

export interface RegistryClientDeps {
  tokenCache?: TokenCache
  resolver?: Resolver
}

export type ManifestAnswer =
  | { outcome: 'found'; digest: string | undefined; mediaType: string | undefined }
  /** The registry has no such repository, tag or digest. */
  | { outcome: 'not-found' }
  /** The registry (or its token service) refused these credentials, or anonymous access, for pull. */
  | { outcome: 'no-access' }

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Asks a registry whether a manifest exists (HEAD, which Docker Hub does not count as a pull). */
export class RegistryClient {
  private readonly tokens: TokenCache
  private readonly guard: NetworkGuard
  private readonly insecure: HostList
  private readonly tokenDeps: TokenServiceDeps

  constructor(
    private readonly config: RegistryClientConfig,
    deps: RegistryClientDeps = {},
  ) {
    this.tokens = deps.tokenCache ?? new TokenCache()
    this.guard = new NetworkGuard(config.allowedPrivateHosts, deps.resolver)
    this.insecure = new HostList(config.insecureHosts)
    this.tokenDeps = {
      guard: this.guard,
      realmPolicy: new RealmPolicy(config.allowedRealmHosts),
      insecureHosts: this.insecure,
      userAgent: `ecs-api/${versionInfo().version}`,
      timeoutMs: config.timeoutMs,
    }
  }

  /** The manifest URL: plain HTTP only for hosts the operator listed in `insecureHosts`. */
  manifestUrl(ref: ImageReference): URL {
    const scheme = this.insecure.hasAuthority(ref.registryHost, 80) ? 'http' : 'https'
    // Repository and tag or digest passed the reference grammar: no character in them needs escaping.
    return new URL(`${scheme}://${ref.registryHost}/v2/${ref.repository}/manifests/${ref.manifestRef}`)
  }

  async headManifest(ref: ImageReference, credentials: RegistryCredentials | undefined): Promise<ManifestAnswer> {
    const signal = AbortSignal.timeout(this.config.timeoutMs)
    const url = this.manifestUrl(ref)
    const addresses = await this.guard.resolve(url, 'registry host', signal)
    const head = (authorization: string | undefined): Promise<ExchangeResult> =>
      call('registry', { url, method: 'HEAD', headers: this.headers(authorization), addresses, signal }, this.config.timeoutMs)

    // Step 1: a cached token for this caller, else Basic credentials, else anonymous.
    const scope = `repository:${ref.repository}:pull`
    const cacheKey = this.tokens.key(ref.registryHost, scope, credentials)
    const cached = this.tokens.get(cacheKey)
    let res = await head(cached ? `Bearer ${cached}` : credentials && basicAuthorization(credentials))
    if (res.status !== 401) return this.answer(res, url)
    if (cached) this.tokens.delete(cacheKey)

    // Step 2: a Bearer challenge sends us to the token service; any other means no pull access.
    const challenge = bearerChallenge(header(res.headers, 'www-authenticate'))
    if (!challenge) return { outcome: 'no-access' }
    const issued = await requestToken({ registryUrl: url, challenge, defaultScope: scope, credentials, signal }, this.tokenDeps)
    if (!issued) return { outcome: 'no-access' }

    // Step 3: retry with the token; keep it only when the registry took it.
    res = await head(`Bearer ${issued.token}`)
    if (res.status === 401) {
      if (bearerChallenge(header(res.headers, 'www-authenticate'))?.params.error === 'invalid_token') {
        throw new UpstreamError(`registry ${url.host} refused the token its token service ${issued.realmHost} issued`)
      }
      return { outcome: 'no-access' }
    }
    this.tokens.set(cacheKey, issued.token, issued.lifetimeSeconds)
    return this.answer(res, url)
  }

  private headers(authorization: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: MANIFEST_MEDIA_TYPES.join(', '), 'user-agent': this.tokenDeps.userAgent }
    if (authorization) headers.authorization = authorization
    return headers
  }

  private answer(res: ExchangeResult, url: URL): ManifestAnswer {
    const status = res.status
    if (status >= 200 && status < 300) {
      const digest = header(res.headers, 'docker-content-digest')?.trim()
      const mediaType = header(res.headers, 'content-type')?.split(';', 1)[0]!.trim()
      return { outcome: 'found', digest: digest && DIGEST.test(digest) ? digest : undefined, mediaType: mediaType || undefined }
    }
    if (status === 401 || status === 403) return { outcome: 'no-access' }
    if (status === 404 || status === 410) return { outcome: 'not-found' }
    if (status === 429) {
      throw new ThrottledError(`registry ${url.host} is rate limiting (HTTP 429)`, { retryAfter: retryAfterSeconds(res.headers['retry-after']) })
    }
    if (status >= 300 && status < 400) throw new UpstreamError(`registry ${url.host} answered with a redirect (HTTP ${status}), which image checks do not follow`)
    throw new UpstreamError(`registry ${url.host} answered HTTP ${status}`)
  }
}

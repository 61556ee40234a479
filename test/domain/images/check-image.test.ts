/**
 * The image check against real docker-registry instances (htpasswd Basic and token auth, see
 * test/harness/registry.ts), and against tiny Node servers for what a real registry will not do on
 * demand: hang, fail, redirect, or point its token realm somewhere else.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DomainError } from '../../../src/core/errors.js'
import { ImageChecker, type ImageCheckResult } from '../../../src/domain/images/check-image.js'
import { MANIFEST_MEDIA_TYPES } from '../../../src/registry/registry-client.js'
import { TokenCache } from '../../../src/registry/token-cache.js'
import { MEDIA, startFakeServer, startRegistryFixture, USERS, type FakeServer, type RegistryFixture } from '../../harness/registry.js'

const auth = (username: string, password: string): string => Buffer.from(JSON.stringify({ username, password })).toString('base64')
const ALICE = auth('alice', USERS.alice)
const BOB = auth('bob', USERS.bob)
const ALICE_WRONG = auth('alice', 'wrong-password')
const MISSING = `sha256:${'0'.repeat(64)}`

let fx: RegistryFixture
const fakes: FakeServer[] = []

beforeAll(async () => {
  fx = await startRegistryFixture()
})
afterAll(async () => {
  await fx?.stop()
})
afterEach(async () => {
  fx.tokenServer.mode = 'normal'
  fx.tokenServer.requests.length = 0
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

/** A checker allowed to reach the test servers on loopback over plain HTTP. */
function checker(extraHosts: string[] = [], options: { timeoutMs?: number; tokenCache?: TokenCache; allowedRealmHosts?: string[] } = {}): ImageChecker {
  const hosts = [fx.basic.host, fx.token.host, fx.tokenServer.host, ...extraHosts]
  return new ImageChecker(
    { allowedPrivateHosts: hosts, insecureHosts: hosts, allowedRealmHosts: options.allowedRealmHosts ?? [], timeoutMs: options.timeoutMs ?? 5000 },
    options.tokenCache ? { tokenCache: options.tokenCache } : {},
  )
}

async function failure(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    return err as DomainError
  }
  throw new Error('the check succeeded')
}

async function fake(handler: Parameters<typeof startFakeServer>[0], host?: string): Promise<FakeServer> {
  const server = await startFakeServer(handler, host)
  fakes.push(server)
  return server
}

describe('image check against a docker-registry with htpasswd Basic auth', () => {
  it.each([
    ['oci', MEDIA.ociManifest],
    ['docker', MEDIA.dockerManifest],
    ['index', MEDIA.ociIndex],
    ['list', MEDIA.dockerList],
  ] as const)('finds tag %s stored as %s, with its own digest (all four types accepted)', async (tag, mediaType) => {
    const result = await checker().check(`${fx.basic.host}/team/app:${tag}`, ALICE)
    expect(result).toEqual<ImageCheckResult>({
      image: `${fx.basic.host}/team/app:${tag}`,
      registry: fx.basic.host,
      repository: 'team/app',
      reference: tag,
      digest: fx.digests.basic[tag],
      mediaType,
    })
  })

  it('checks digest references as digests', async () => {
    const byIndex = await checker().check(`${fx.basic.host}/team/app@${fx.digests.basic.index}`, ALICE)
    expect(byIndex).toMatchObject({ reference: fx.digests.basic.index, digest: fx.digests.basic.index, mediaType: MEDIA.ociIndex })
    // the digest wins over a tag that does not exist
    const pinned = await checker().check(`${fx.basic.host}/team/app:no-such-tag@${fx.digests.basic.docker}`, ALICE)
    expect(pinned.digest).toBe(fx.digests.basic.docker)
    const missing = await failure(checker().check(`${fx.basic.host}/team/app@${MISSING}`, ALICE))
    expect([missing.status, missing.message]).toEqual([404, `image ${fx.basic.host}/team/app@${MISSING} not found in registry ${fx.basic.host}`])
  })

  it('answers 404 for a missing tag and a missing repository', async () => {
    const tag = await failure(checker().check(`${fx.basic.host}/team/app:nope`, ALICE))
    expect([tag.status, tag.message]).toEqual([404, `image ${fx.basic.host}/team/app:nope not found in registry ${fx.basic.host}`])
    const repo = await failure(checker().check(`${fx.basic.host}/team/none:oci`, ALICE))
    expect(repo.status).toBe(404)
  })

  it('answers 404 when the credentials are wrong or absent', async () => {
    const wrong = await failure(checker().check(`${fx.basic.host}/team/app:oci`, ALICE_WRONG))
    expect([wrong.status, wrong.message]).toEqual([
      404,
      `image ${fx.basic.host}/team/app:oci not found, or registry ${fx.basic.host} does not grant pull to the credentials given`,
    ])
    const anonymous = await failure(checker().check(`${fx.basic.host}/team/app:oci`, undefined))
    expect(anonymous.message).toContain('does not grant pull to anonymous callers')
  })

  it('refuses the loopback registry unless it is allowed (SSRF guard off and on)', async () => {
    const guarded = new ImageChecker({ allowedPrivateHosts: [], insecureHosts: [fx.basic.host], allowedRealmHosts: [], timeoutMs: 5000 })
    const err = await failure(guarded.check(`${fx.basic.host}/team/app:oci`, ALICE))
    expect([err.status, err.message]).toEqual([
      400,
      `registry host "${fx.basic.host}" is a loopback address; refused (operators can allow the host in images.allowedPrivateHosts)`,
    ])
    const byName = await failure(guarded.check(`localhost:${fx.basic.host.split(':')[1]}/team/app:oci`, ALICE))
    expect(byName.message).toContain('resolves to a loopback address')
    expect((await checker().check(`${fx.basic.host}/team/app:oci`, ALICE)).digest).toBe(fx.digests.basic.oci)
  })
})

describe('image check against a docker-registry with token auth', () => {
  it('gets a token with the credentials, caches it per caller, and finds the image', async () => {
    const cache = new TokenCache()
    const c = checker([], { tokenCache: cache })
    const image = `${fx.token.host}/team/app:index`
    expect(await c.check(image, ALICE)).toMatchObject({ digest: fx.digests.tokenPrivate.index, mediaType: MEDIA.ociIndex })
    expect(fx.tokenServer.requests).toEqual([
      { authorization: `Basic ${Buffer.from(`alice:${USERS.alice}`).toString('base64')}`, service: 'test-registry', scopes: ['repository:team/app:pull'] },
    ])
    // the cached token is presented directly: no second token request
    expect((await c.check(`${fx.token.host}/team/app:list`, ALICE)).digest).toBe(fx.digests.tokenPrivate.list)
    expect(fx.tokenServer.requests).toHaveLength(1)
    // another caller never rides on alice's token
    await failure(c.check(image, undefined))
    await failure(c.check(image, BOB))
    expect(fx.tokenServer.requests.map((r) => r.authorization?.slice(0, 10))).toEqual(['Basic YWxp', undefined, 'Basic Ym9i'])
  })

  it.each(['oci', 'docker', 'index', 'list'] as const)('finds public/app:%s with an anonymous token', async (tag) => {
    expect((await checker().check(`${fx.token.host}/public/app:${tag}`, undefined)).digest).toBe(fx.digests.tokenPublic[tag])
    expect(fx.tokenServer.requests).toHaveLength(1)
    expect(fx.tokenServer.requests[0]!.authorization).toBeUndefined()
  })

  it('answers 404 for a missing tag, a missing repository and a missing digest', async () => {
    for (const ref of ['team/app:nope', 'team/none:oci', `team/app@${MISSING}`]) {
      const err = await failure(checker().check(`${fx.token.host}/${ref}`, ALICE))
      expect(err.status).toBe(404)
      expect(err.message).toContain('not found in registry')
    }
  })

  it('answers 404 for a private repository without credentials, with wrong ones, and with too little scope', async () => {
    const image = `${fx.token.host}/team/app:oci`
    for (const header of [undefined, ALICE_WRONG, BOB]) {
      const err = await failure(checker().check(image, header))
      expect(err.status).toBe(404)
      expect(err.message).toContain('does not grant pull')
    }
  })

  it('reads access_token when the token service sends only that', async () => {
    fx.tokenServer.mode = 'access-token-only'
    expect((await checker().check(`${fx.token.host}/team/app:docker`, ALICE)).digest).toBe(fx.digests.tokenPrivate.docker)
  })

  it.each([
    ['garbage', `refused the token its token service`],
    ['error', 'answered HTTP 500'],
    ['no-token', 'answered without a token'],
  ] as const)('answers 502 when the token service misbehaves (%s)', async (mode, reason) => {
    fx.tokenServer.mode = mode
    const err = await failure(checker().check(`${fx.token.host}/team/app:oci`, ALICE))
    expect(err.status).toBe(502)
    expect(err.message).toContain(reason)
  })

  it('replaces a cached token the registry no longer accepts', async () => {
    const cache = new TokenCache()
    const key = cache.key(fx.token.host, 'repository:team/app:pull', { username: 'alice', password: USERS.alice })
    cache.set(key, 'stale-token', 300)
    expect((await checker([], { tokenCache: cache }).check(`${fx.token.host}/team/app:oci`, ALICE)).digest).toBe(fx.digests.tokenPrivate.oci)
    expect(fx.tokenServer.requests).toHaveLength(1)
    expect(cache.get(key)).not.toBe('stale-token')
  })

  it('asks for a new token once the cached one is near its expiry', async () => {
    let now = Date.now()
    const c = checker([], { tokenCache: new TokenCache({ now: () => now }) })
    fx.tokenServer.expiresIn = 60
    try {
      await c.check(`${fx.token.host}/public/app:oci`, undefined)
      now += 50_000
      await c.check(`${fx.token.host}/public/app:oci`, undefined)
      expect(fx.tokenServer.requests).toHaveLength(1)
      now += 5_000 // past 90 % of 60 s
      await c.check(`${fx.token.host}/public/app:oci`, undefined)
      expect(fx.tokenServer.requests).toHaveLength(2)
    } finally {
      fx.tokenServer.expiresIn = 300
    }
  })

  it('times out on a token service that hangs (502 within the configured deadline)', async () => {
    fx.tokenServer.mode = 'hang'
    const err = await failure(checker([], { timeoutMs: 300 }).check(`${fx.token.host}/team/app:oci`, ALICE))
    expect([err.status, err.message]).toEqual([502, `token service ${fx.tokenServer.host} did not answer within 300 ms`])
  })
})

describe('image check against registries that misbehave (tiny Node servers)', () => {
  it('sends HEAD with all four manifest types and Basic credentials to the registry', async () => {
    const registry = await fake((_req, res) => res.writeHead(200, { 'docker-content-digest': MISSING, 'content-type': MEDIA.ociIndex }).end())
    const result = await checker([registry.host]).check(`${registry.host}/team/app:v1`, ALICE)
    expect(result).toMatchObject({ digest: MISSING, mediaType: MEDIA.ociIndex })
    expect(registry.requests).toHaveLength(1)
    expect(registry.requests[0]).toMatchObject({ method: 'HEAD', url: '/v2/team/app/manifests/v1' })
    expect(registry.requests[0]!.headers.accept).toBe(MANIFEST_MEDIA_TYPES.join(', '))
    expect(registry.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`alice:${USERS.alice}`).toString('base64')}`)
  })

  it('times out on a registry that never answers (502 within the configured deadline)', async () => {
    // What the registry's side of the connection went through, in order: no clock is read.
    const seen: string[] = []
    let closed!: () => void
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve))
    const registry = await fake((req) => {
      seen.push('request received')
      req.socket.once('close', () => {
        seen.push('connection closed')
        closed()
      })
    })
    // The check's one deadline is the AbortSignal.timeout it makes: watch that signal fire.
    const makeDeadline = AbortSignal.timeout.bind(AbortSignal)
    const deadlines: number[] = []
    const spy = vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
      deadlines.push(ms)
      const signal = makeDeadline(ms)
      signal.addEventListener('abort', () => seen.push(`deadline fired (${(signal.reason as Error).name})`))
      return signal
    })
    try {
      const err = await failure(checker([registry.host], { timeoutMs: 300 }).check(`${registry.host}/team/app:v1`, undefined))
      expect([err.status, err.code, err.message]).toEqual([502, 'BadGateway', `registry ${registry.host} did not answer within 300 ms`])
    } finally {
      spy.mockRestore()
    }
    await connectionClosed
    // The request stayed open, unanswered, until the configured deadline fired; only then did the
    // check hang up. A check that gave up early would close the connection before the deadline.
    expect(deadlines).toEqual([300])
    expect(seen).toEqual(['request received', 'deadline fired (TimeoutError)', 'connection closed'])
  })

  it.each([
    [500, {}, 502, 'answered HTTP 500'],
    [503, {}, 502, 'answered HTTP 503'],
    [400, {}, 502, 'answered HTTP 400'],
    [302, { location: 'http://169.254.169.254/' }, 502, 'answered with a redirect (HTTP 302), which image checks do not follow'],
    [429, { 'retry-after': '7' }, 429, 'is rate limiting (HTTP 429)'],
    [403, {}, 404, 'does not grant pull'],
    [410, {}, 404, 'not found in registry'],
  ])('maps a registry answer of HTTP %d to %d', async (status, headers, expected, reason) => {
    const registry = await fake((_req, res) => res.writeHead(status, headers).end())
    const err = await failure(checker([registry.host]).check(`${registry.host}/team/app:v1`, undefined))
    expect([err.status, err.message]).toEqual([expected, expect.stringContaining(reason)])
    if (status === 429) expect(err.retryAfter).toBe(7)
    expect(registry.requests).toHaveLength(1)
  })

  it('answers 502 when the registry refuses connections', async () => {
    const registry = await fake(() => {})
    await registry.close()
    const err = await failure(checker([registry.host]).check(`${registry.host}/team/app:v1`, undefined))
    expect([err.status, err.message]).toEqual([502, `registry ${registry.host} failed: ECONNREFUSED`])
  })

  it('connects to the addresses the guard checked, resolving each host once (no DNS rebinding)', async () => {
    const registry = await fake((_req, res) => res.writeHead(200, { 'docker-content-digest': MISSING }).end())
    const port = registry.host.split(':')[1]
    // `registry.rebind.test` exists only in this resolver: a second, independent lookup by the
    // transport would fail, and a rebinding answer (the metadata address) is never asked for.
    const answers = ['127.0.0.1', '169.254.169.254']
    const asked: string[] = []
    const c = new ImageChecker(
      { allowedPrivateHosts: ['registry.rebind.test'], insecureHosts: ['registry.rebind.test'], allowedRealmHosts: [], timeoutMs: 5000 },
      {
        resolver: async (hostname) => {
          asked.push(hostname)
          return [{ address: answers.shift()!, family: 4 }]
        },
      },
    )
    expect((await c.check(`registry.rebind.test:${port}/team/app:v1`, undefined)).digest).toBe(MISSING)
    expect(asked).toEqual(['registry.rebind.test'])
    expect(registry.requests[0]!.headers.host).toBe(`registry.rebind.test:${port}`)
  })

  /** A registry that challenges with `realm` and accepts only the token `good-token`. */
  async function challengingRegistry(realm: string): Promise<FakeServer> {
    return await fake((req, res) => {
      if (req.headers.authorization === 'Bearer good-token') return void res.writeHead(200, { 'docker-content-digest': MISSING }).end()
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="fake",scope="repository:team/app:pull"` }).end()
    })
  }

  it('sends credentials only to a realm on the registry domain, or one allowed in allowedRealmHosts', async () => {
    // the realm listens on 127.0.0.2: another host than the registry on 127.0.0.1
    const realm = await fake((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"good-token"}'), '127.0.0.2')
    const registry = await challengingRegistry(`${realm.url}/token`)
    const image = `${registry.host}/team/app:v1`

    const refused = await failure(checker([registry.host, realm.host]).check(image, ALICE))
    expect([refused.status, refused.message]).toEqual([
      400,
      `registry ${registry.host} sends credentials to token realm ${realm.host}, which is not on its domain; refused (operators can allow the realm in images.allowedRealmHosts)`,
    ])
    expect(realm.requests).toHaveLength(0)

    // anonymous checks carry nothing to protect: the realm is asked without credentials
    expect((await checker([registry.host, realm.host]).check(image, undefined)).digest).toBe(MISSING)
    expect(realm.requests.map((r) => r.headers.authorization)).toEqual([undefined])
    expect(realm.requests[0]!.url).toBe('/token?service=fake&scope=repository%3Ateam%2Fapp%3Apull')

    // explicitly allowed: the credentials go to the realm, and only its token to the registry
    const allowed = checker([registry.host, realm.host], { allowedRealmHosts: ['127.0.0.2'] })
    expect((await allowed.check(image, ALICE)).digest).toBe(MISSING)
    expect(realm.requests[1]!.headers.authorization).toMatch(/^Basic /)
    expect(registry.requests.at(-1)!.headers.authorization).toBe('Bearer good-token')
  })

  it('refuses a token realm on a private or metadata address (SSRF through the registry)', async () => {
    const registry = await challengingRegistry('https://169.254.169.254/latest/meta-data/token')
    const err = await failure(checker([registry.host]).check(`${registry.host}/team/app:v1`, undefined))
    expect([err.status, err.message]).toEqual([
      400,
      'token realm host "169.254.169.254" is a cloud metadata address; refused (operators can allow the host in images.allowedPrivateHosts)',
    ])
  })

  it('refuses a plain-HTTP token realm that is not listed in insecureHosts', async () => {
    const realm = await fake((_req, res) => res.writeHead(200).end('{"token":"good-token"}'))
    const registry = await challengingRegistry(`${realm.url}/token`)
    const c = new ImageChecker({ allowedPrivateHosts: [registry.host, realm.host], insecureHosts: [registry.host], allowedRealmHosts: [], timeoutMs: 5000 })
    const err = await failure(c.check(`${registry.host}/team/app:v1`, undefined))
    expect([err.status, err.message]).toEqual([
      400,
      `token realm ${realm.host} of registry ${registry.host} is plain HTTP; refused (operators can list it in images.insecureHosts)`,
    ])
    expect(realm.requests).toHaveLength(0)
  })

  it('answers 502 for a challenge without a usable realm', async () => {
    for (const realm of ['', 'not a url', 'ftp://example.com/token', 'https://user:pw@example.com/token']) {
      const registry = await challengingRegistry(realm)
      const err = await failure(checker([registry.host]).check(`${registry.host}/team/app:v1`, undefined))
      expect(err.status).toBe(502)
      expect(err.message).toMatch(/named no token realm|invalid token realm|not a plain http\(s\) URL/)
    }
  })
})

/**
 * A registry token service (distribution's token auth) for tests: RS256 JWTs whose `x5c` header
 * carries a self-signed certificate, which the registry's `rootcertbundle` trusts. See
 * /work/shared/spec/test-backends.md section 5.3.
 *
 * Grants: a user gets the actions listed for the repository (or for `*`); anonymous callers get pull
 * on `anonymousPull` repositories; everything else gets a token with no access, which the registry
 * answers with `insufficient_scope`. `mode` makes it misbehave on purpose.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID, sign, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Access {
  type: 'repository'
  name: string
  actions: string[]
}

export type TokenServerMode =
  /** `{token, access_token, expires_in, issued_at}` */
  | 'normal'
  /** only `access_token` (OAuth 2 spelling) */
  | 'access-token-only'
  /** a token that is not a JWT: the registry answers `invalid_token` */
  | 'garbage'
  /** HTTP 500 */
  | 'error'
  /** JSON without a token */
  | 'no-token'
  /** never answers */
  | 'hang'

export interface TokenServerOptions {
  service: string
  issuer: string
  users: Record<string, { password: string; grants: Record<string, string[]> }>
  anonymousPull: string[]
  /** Address to listen on; default 127.0.0.1. */
  host?: string
}

export interface TokenRequestRecord {
  authorization: string | undefined
  service: string | null
  scopes: string[]
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token` */
  realm: string
  /** `127.0.0.1:PORT` */
  host: string
  /** PEM file of the certificate that signs tokens (the registry's `rootcertbundle`). */
  certPath: string
  requests: TokenRequestRecord[]
  mode: TokenServerMode
  expiresIn: number
  /** A signed token for `access`, as the service would issue it. */
  mint(access: Access[], subject?: string): string
  close(): Promise<void>
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

function makeSigningCert(dir: string): { keyPem: string; certPath: string; x5c: string } {
  const keyPath = join(dir, 'token.key')
  const certPath = join(dir, 'token.crt')
  const res = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=test-token-issuer'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  if (res.status !== 0) throw new Error(`openssl failed: ${res.stderr?.toString() ?? res.error?.message}`)
  const cert = new X509Certificate(readFileSync(certPath))
  return { keyPem: readFileSync(keyPath, 'utf8'), certPath, x5c: cert.raw.toString('base64') }
}

function basicUser(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined
  const text = Buffer.from(header.slice(6), 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return { user: text.slice(0, colon), password: text.slice(colon + 1) }
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-api-token-'))
  const { keyPem, certPath, x5c } = makeSigningCert(dir)

  const mint = (access: Access[], subject = ''): string => {
    const now = Math.floor(Date.now() / 1000)
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [x5c] }))
    const claims = b64url(
      JSON.stringify({ iss: options.issuer, sub: subject, aud: options.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }),
    )
    return `${header}.${claims}.${b64url(sign('sha256', Buffer.from(`${header}.${claims}`), keyPem))}`
  }

  const grantsFor = (who: string | undefined, name: string, wanted: string[]): string[] => {
    const table = who === undefined ? undefined : options.users[who]?.grants
    const allowed = table ? (table[name] ?? table['*'] ?? []) : options.anonymousPull.includes(name) ? ['pull'] : []
    return wanted.filter((a) => allowed.includes(a))
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://token')
    const record: TokenRequestRecord = { authorization: req.headers.authorization, service: url.searchParams.get('service'), scopes: url.searchParams.getAll('scope') }
    state.requests.push(record)
    if (state.mode === 'hang') return
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (state.mode === 'error') return json(500, { errors: [{ code: 'UNKNOWN' }] })
    const basic = basicUser(req.headers.authorization)
    if (basic && options.users[basic.user]?.password !== basic.password) return json(401, { details: 'incorrect username or password' })
    const access: Access[] = record.scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':')
      if (type !== 'repository' || !name) return []
      return [{ type: 'repository' as const, name, actions: grantsFor(basic?.user, name, (actions ?? '').split(',')) }]
    })
    const token = state.mode === 'garbage' ? 'garbage-not-a-jwt' : mint(access, basic?.user)
    const issued = { expires_in: state.expiresIn, issued_at: new Date().toISOString() }
    if (state.mode === 'no-token') return json(200, issued)
    if (state.mode === 'access-token-only') return json(200, { access_token: token, ...issued })
    return json(200, { token, access_token: token, ...issued })
  })
  const listenHost = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve))
  const { port } = server.address() as { port: number }

  const state: TokenServer = {
    realm: `http://${listenHost}:${port}/token`,
    host: `${listenHost}:${port}`,
    certPath,
    requests: [],
    mode: 'normal',
    expiresIn: 300,
    mint,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return state
}

/**
 * Real docker-registry (Debian package `docker-registry`, distribution 2.8) instances for image-check
 * tests: one with htpasswd Basic auth, one with token auth behind ./token-server.ts, both on
 * 127.0.0.1 and the ports the OS gives them (port 0), seeded through the registry HTTP API (no
 * Docker engine), stopped by PID.
 * Plus tiny Node servers for what a real registry will not do on demand (hang, fail, record).
 * See /work/shared/spec/test-backends.md section 5.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

import { matchOutput } from './output.js'
import { startTokenServer, type TokenServer } from './token-server.js'

export const REGISTRY_BIN = '/usr/bin/docker-registry'

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const

export interface RegistryServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT`, as it appears in image references */
  host: string
  pid: number
  /** SIGTERM, SIGKILL after 3 s; removes the data directory. Idempotent. */
  stop(): Promise<void>
}

export type RegistryAuth =
  | { htpasswd: Record<string, string> }
  | { token: { realm: string; service: string; issuer: string; certPath: string } }

const livePids = new Set<number>()
let exitHookInstalled = false

/** A SIGKILLed test worker cannot run afterAll; its exit hook still kills what it started. */
function trackPid(pid: number): void {
  livePids.add(pid)
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const p of livePids) {
      try {
        process.kill(p, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
}

function authYaml(auth: RegistryAuth, dir: string): string {
  if ('htpasswd' in auth) {
    const lines = Object.entries(auth.htpasswd).map(([user, password]) => {
      const res = spawnSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' })
      if (res.status !== 0) throw new Error(`htpasswd failed: ${res.stderr || res.error?.message}`)
      return res.stdout.trim()
    })
    writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`)
    return `  htpasswd:\n    realm: test-realm\n    path: ${join(dir, 'htpasswd')}\n`
  }
  const t = auth.token
  return `  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certPath}\n`
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`)
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) })
      if (res.status === 200 || res.status === 401) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`docker-registry did not become ready at ${url}: ${stderr()}`)
}

/** The registry's log line once it is bound; with port 0 it names the port the OS gave. */
const REGISTRY_LISTENING = /msg="listening on 127\.0\.0\.1:(\d+)"/

/**
 * Starts `docker-registry serve` with its own config on 127.0.0.1 and port 0, and reads the port it
 * bound from its log (hence log level info; request lines stay off).
 */
export async function startRegistry(auth: RegistryAuth): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-api-registry-'))
  const config =
    `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\n` +
    `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
    `http:\n  addr: 127.0.0.1:0\n  secret: test-only-secret\n` +
    `auth:\n${authYaml(auth, dir)}`
  writeFileSync(join(dir, 'config.yml'), config)

  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] })
  const listening = matchOutput(child, REGISTRY_LISTENING, 'docker-registry start-up', 15_000)
  // Handled where it is awaited; this keeps an early rejection from counting as unhandled.
  listening.catch(() => undefined)
  let tail = ''
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4096)
  })
  if (child.pid === undefined) throw new Error(`could not start ${REGISTRY_BIN}`)
  const pid = child.pid
  trackPid(pid)
  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopped ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(killTimer)
        livePids.delete(pid)
        rmSync(dir, { recursive: true, force: true })
        resolve()
      }
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000)
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
    }))
  let port: number
  try {
    port = Number((await listening)[1])
    await waitReady(`http://127.0.0.1:${port}`, child, () => tail)
  } catch (err) {
    await stop()
    throw err
  }
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, pid, stop }
}

// ---------------------------------------------------------------------------------------------
// Seeding through the registry HTTP API v2
// ---------------------------------------------------------------------------------------------

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`

/** A one-file ustar archive (the registry stores layers as opaque blobs; this one is still a real tar). */
function tarOf(name: string, content: string): Buffer {
  const body = Buffer.from(content)
  const header = Buffer.alloc(512)
  header.write(name, 0)
  header.write('0000644\0', 100)
  header.write('0000000\0', 108)
  header.write('0000000\0', 116)
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124)
  header.write('00000000000\0', 136)
  header.write('        ', 148)
  header.write('0', 156)
  header.write('ustar\u000000', 257)
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512)
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)])
}

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`)
}

async function pushBlob(base: string, repo: string, blob: Buffer, headers: Record<string, string>): Promise<string> {
  const digest = sha256(blob)
  const started = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers })
  await expectStatus(started, 202, `start upload to ${repo}`)
  const location = new URL(started.headers.get('location')!, base)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: blob })
  await expectStatus(put, 201, `finish upload to ${repo}`)
  return digest
}

async function putManifest(base: string, repo: string, tag: string, mediaType: string, manifest: unknown, headers: Record<string, string>): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(manifest))
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { ...headers, 'content-type': mediaType }, body: bytes })
  await expectStatus(res, 201, `put manifest ${repo}:${tag}`)
  const digest = sha256(bytes)
  if (res.headers.get('docker-content-digest') !== digest) throw new Error(`registry digest differs for ${repo}:${tag}`)
  return { digest, size: bytes.length }
}

/** Digests of the four tags `seedRepository` pushes. */
export interface SeededTags {
  oci: string
  docker: string
  index: string
  list: string
}

/**
 * Pushes one tiny image to `repo` as four tags: `oci` (OCI manifest), `docker` (Docker v2 manifest),
 * `index` (OCI index over `oci`) and `list` (Docker manifest list over `docker`).
 */
export async function seedRepository(base: string, repo: string, authorization?: string): Promise<SeededTags> {
  const headers: Record<string, string> = authorization ? { authorization } : {}
  const tar = tarOf('hello.txt', `hello from ${repo}\n`)
  const layer = gzipSync(tar)
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(tar)] }, config: {} }))
  const layerDigest = await pushBlob(base, repo, layer, headers)
  const configDigest = await pushBlob(base, repo, config, headers)
  const platform = { os: 'linux', architecture: 'amd64' }

  const manifestOf = (mediaType: string, configType: string, layerType: string): unknown => ({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: configType, digest: configDigest, size: config.length },
    layers: [{ mediaType: layerType, digest: layerDigest, size: layer.length }],
  })
  const oci = await putManifest(base, repo, 'oci', MEDIA.ociManifest, manifestOf(MEDIA.ociManifest, 'application/vnd.oci.image.config.v1+json', 'application/vnd.oci.image.layer.v1.tar+gzip'), headers)
  const docker = await putManifest(base, repo, 'docker', MEDIA.dockerManifest, manifestOf(MEDIA.dockerManifest, 'application/vnd.docker.container.image.v1+json', 'application/vnd.docker.image.rootfs.diff.tar.gzip'), headers)
  const index = await putManifest(base, repo, 'index', MEDIA.ociIndex, { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [{ mediaType: MEDIA.ociManifest, ...oci, platform }] }, headers)
  const list = await putManifest(base, repo, 'list', MEDIA.dockerList, { schemaVersion: 2, mediaType: MEDIA.dockerList, manifests: [{ mediaType: MEDIA.dockerManifest, ...docker, platform }] }, headers)
  return { oci: oci.digest, docker: docker.digest, index: index.digest, list: list.digest }
}

// ---------------------------------------------------------------------------------------------
// The fixture image-check tests share
// ---------------------------------------------------------------------------------------------

export const TOKEN_SERVICE = 'test-registry'
export const TOKEN_ISSUER = 'test-token-issuer'
/** Users of both registries: alice may pull and push everything; bob may pull `team/other` only. */
export const USERS = { alice: 'alice-secret-pw', bob: 'bob-secret-pw' } as const

export interface RegistryFixture {
  tokenServer: TokenServer
  /** htpasswd registry holding `team/app` */
  basic: RegistryServer
  /** token-auth registry holding `team/app` (private) and `public/app` (anonymous pull) */
  token: RegistryServer
  digests: { basic: SeededTags; tokenPrivate: SeededTags; tokenPublic: SeededTags }
  stop(): Promise<void>
}

/** Starts the token server and both registries, and seeds them. Call from `beforeAll`. */
export async function startRegistryFixture(): Promise<RegistryFixture> {
  const started: { stop(): Promise<void> }[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.stop()))
  }
  try {
    const tokenServer = await startTokenServer({
      service: TOKEN_SERVICE,
      issuer: TOKEN_ISSUER,
      users: { alice: { password: USERS.alice, grants: { '*': ['pull', 'push'] } }, bob: { password: USERS.bob, grants: { 'team/other': ['pull'] } } },
      anonymousPull: ['public/app'],
    })
    started.push({ stop: () => tokenServer.close() })
    const basic = await startRegistry({ htpasswd: { ...USERS } })
    started.push(basic)
    const token = await startRegistry({ token: { realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certPath: tokenServer.certPath } })
    started.push(token)

    const basicAuth = `Basic ${Buffer.from(`alice:${USERS.alice}`).toString('base64')}`
    const pushToken = (repo: string): string => `Bearer ${tokenServer.mint([{ type: 'repository', name: repo, actions: ['pull', 'push'] }], 'alice')}`
    const digests = {
      basic: await seedRepository(basic.url, 'team/app', basicAuth),
      tokenPrivate: await seedRepository(token.url, 'team/app', pushToken('team/app')),
      tokenPublic: await seedRepository(token.url, 'public/app', pushToken('public/app')),
    }
    tokenServer.requests.length = 0
    return { tokenServer, basic, token, digests, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

// ---------------------------------------------------------------------------------------------
// Tiny stand-ins: servers that hang, fail or record what they were sent
// ---------------------------------------------------------------------------------------------

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

export interface FakeServer {
  /** `127.0.0.1:PORT` */
  host: string
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

/**
 * A Node HTTP server on `listenHost` (default 127.0.0.1) and a free port that records every request
 * and lets `handler` answer; a handler that never ends the response makes it hang.
 */
export async function startFakeServer(
  handler: (req: IncomingMessage, res: ServerResponse, self: FakeServer) => void,
  listenHost = '127.0.0.1',
): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    handler(req, res, self)
  })
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve))
  const { port } = server.address() as { port: number }
  const self: FakeServer = {
    host: `${listenHost}:${port}`,
    url: `http://${listenHost}:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return self
}

/**
 * How the account clients send their calls (src/aws/request-handler.ts): the rules the SDK's
 * node:http handler had, kept with undici. A stand-in AWS endpoint (a loopback server answering
 * DescribeSecret, holding answers until told) stands where moto cannot produce the case.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, connect, type AddressInfo, type Socket } from 'node:net'
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager'
import { ListClustersCommand } from '@aws-sdk/client-ecs'
import { afterEach, describe, expect, it } from 'vitest'
import { AccountRegistry } from '../../src/aws/account-clients.js'
import { DomainError } from '../../src/core/errors.js'
import { motoEndpoint, MOTO_REGION } from '../harness/index.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function registryAt(endpoint: string, ...names: string[]): AccountRegistry {
  const account = { region: MOTO_REGION, akid: 'testing', secret: 'testing', endpoint }
  const registry = new AccountRegistry(new Map(names.map((name) => [name, account])))
  cleanups.push(() => registry.destroy())
  return registry
}

/** A stand-in Secrets Manager: answers DescribeSecret, each answer held until `release()`. */
async function holdingEndpoint(): Promise<{
  endpoint: string
  held: ServerResponse[]
  connections: Set<Socket>
  maxConnections: () => number
  received: (count: number) => Promise<void>
  release: () => void
}> {
  const held: ServerResponse[] = []
  const connections = new Set<Socket>()
  let maxConnections = 0
  let waiting: { count: number; resolve: () => void } | undefined
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    req.on('end', () => {
      held.push(res)
      if (waiting && held.length >= waiting.count) waiting.resolve()
    })
  })
  server.on('connection', (socket: Socket) => {
    connections.add(socket)
    maxConnections = Math.max(maxConnections, connections.size)
    socket.on('close', () => connections.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(() => {
    server.closeAllConnections()
    server.close()
  })
  const answer = (res: ServerResponse): void => {
    if (res.destroyed) return
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stand-in' })
    res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:held-AbCdEf', Name: 'held' }))
  }
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    connections,
    maxConnections: () => maxConnections,
    received: (count) =>
      held.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { count, resolve })),
    release: () => {
      for (const res of held.splice(0)) answer(res)
    },
  }
}

describe('the account clients’ HTTP handler', () => {
  it('keeps one socket for calls one after the other (keep-alive) (simulator)', async () => {
    const aws = await holdingEndpoint()
    const client = registryAt(aws.endpoint, 'a').get('a')!.clients.secretsManager
    for (let i = 0; i < 5; i++) {
      const call = client.send(new DescribeSecretCommand({ SecretId: 'held' }))
      await aws.received(1)
      aws.release()
      expect((await call).Name).toBe('held')
      // As between two API requests. (A call sent in the very turn the last answer ended finds its
      // socket not yet free, and undici opens a second one, once.)
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(aws.maxConnections()).toBe(1)
  })

  it('opens up to 256 sockets per client; further calls wait for a free one (simulator)', async () => {
    const aws = await holdingEndpoint()
    const client = registryAt(aws.endpoint, 'a').get('a')!.clients.secretsManager
    const calls = Array.from({ length: 260 }, () => client.send(new DescribeSecretCommand({ SecretId: 'held' })))
    await aws.received(256)
    expect(aws.connections.size).toBe(256)
    // Every answer frees a socket for a waiting call, until all 260 are answered.
    const answering = setInterval(() => aws.release(), 1)
    cleanups.push(() => clearInterval(answering))
    const answers = await Promise.all(calls)
    expect(answers.map((a) => a.Name)).toEqual(Array(260).fill('held'))
    expect(aws.maxConnections()).toBe(256)
  })

  it('closing one registry’s clients lets their calls in flight finish and leaves another’s alone (simulator)', async () => {
    const aws = await holdingEndpoint()
    const first = registryAt(aws.endpoint, 'a')
    const second = registryAt(aws.endpoint, 'a')
    const closing = first.get('a')!.clients.secretsManager
    const inFlight = closing.send(new DescribeSecretCommand({ SecretId: 'held' }))
    const other = second.get('a')!.clients.secretsManager.send(new DescribeSecretCommand({ SecretId: 'held' }))
    await aws.received(2)
    first.destroy()
    aws.release()
    // Finished on its own socket (node:http's agent cut it, and the SDK sent it again).
    expect([(await inFlight).$metadata.attempts, (await other).$metadata.attempts]).toEqual([1, 1])
    // As with node:http's agent, a client still held after its registry closed opens a new socket.
    const later = closing.send(new DescribeSecretCommand({ SecretId: 'held' }))
    await aws.received(1)
    aws.release()
    expect((await later).Name).toBe('held')
  })

  it('an aborted call fails at once with an AbortError and is not retried (simulator)', async () => {
    const aws = await holdingEndpoint()
    const client = registryAt(aws.endpoint, 'a').get('a')!.clients.secretsManager
    const abort = new AbortController()
    const call = client.send(new DescribeSecretCommand({ SecretId: 'held' }), { abortSignal: abort.signal }).catch((e: unknown) => e)
    await aws.received(1)
    abort.abort()
    const err = (await call) as DomainError
    expect(err).toBeInstanceOf(DomainError)
    expect([err.status, err.message]).toEqual([503, 'SecretsManager.DescribeSecret: AWS did not answer (AbortError)'])
    expect([(err.cause as Error).name, (err.cause as Error).message]).toEqual(['AbortError', 'Request aborted'])
    expect(aws.held).toHaveLength(1)
  })

  it('retries a call whose connection the host reset (injected failure)', async () => {
    // A TCP relay to moto that resets the first connection as soon as the request arrives.
    const target = new URL(motoEndpoint())
    let accepted = 0
    const relay = createTcpServer((socket) => {
      if (++accepted === 1) {
        socket.once('data', () => socket.resetAndDestroy())
        return
      }
      const upstream = connect(Number(target.port), target.hostname)
      socket.pipe(upstream).pipe(socket)
      socket.on('error', () => upstream.destroy())
      upstream.on('error', () => socket.destroy())
    })
    relay.listen(0, '127.0.0.1')
    await once(relay, 'listening')
    cleanups.push(() => relay.close())
    const client = registryAt(`http://127.0.0.1:${(relay.address() as AddressInfo).port}`, 'a').get('a')!.clients.ecs
    const out = await client.send(new ListClustersCommand({}))
    expect(out.clusterArns).toBeDefined()
    expect(out.$metadata.attempts).toBe(2)
  })

  it('a host that closes every connection before answering: 3 attempts, then 503 naming ECONNRESET (simulator)', async () => {
    let accepted = 0
    const host = createTcpServer((socket) => {
      accepted++
      socket.once('data', () => socket.end())
    })
    host.listen(0, '127.0.0.1')
    await once(host, 'listening')
    cleanups.push(() => host.close())
    const client = registryAt(`http://127.0.0.1:${(host.address() as AddressInfo).port}`, 'a').get('a')!.clients.secretsManager
    const err = (await client.send(new DescribeSecretCommand({ SecretId: 'x' })).catch((e: unknown) => e)) as DomainError
    expect([err.status, err.message]).toEqual([503, 'SecretsManager.DescribeSecret: AWS did not answer (ECONNRESET)'])
    expect((err.cause as Error).name).toBe('TimeoutError')
    expect(accepted).toBe(3)
  })
})

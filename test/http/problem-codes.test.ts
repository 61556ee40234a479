/**
 * The problem `code` says the status on every error the process answers: the route's, Fastify's
 * (bad media type, body too large, bad JSON, no route) and Node's parser's before a request exists
 * (headers too large, a malformed request line), all as application/problem+json.
 */
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ThrottledError } from '../../src/core/errors.js'
import { codeForStatus, toProblem } from '../../src/http/problem.js'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

/** The status line and body of a raw request sent to a listening app. */
async function rawRequest(port: number, request: string): Promise<{ status: number; contentType: string; body: unknown }> {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  socket.on('error', () => undefined)
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(request)
  await new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const text = Buffer.concat(chunks).toString('utf8')
  const [head = '', body = ''] = text.split('\r\n\r\n')
  return {
    status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]),
    contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '',
    body: JSON.parse(body),
  }
}

describe('problem codes follow the status', () => {
  it('names each status as the conventions do', () => {
    expect(
      Object.fromEntries([400, 401, 403, 404, 405, 409, 412, 413, 414, 415, 422, 429, 431, 500, 502, 503].map((s) => [s, codeForStatus(s)])),
    ).toEqual({
      400: 'BadRequest',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      405: 'MethodNotAllowed',
      409: 'Conflict',
      412: 'PreconditionFailed',
      413: 'PayloadTooLarge',
      414: 'UriTooLong',
      415: 'UnsupportedMediaType',
      422: 'UnprocessableEntity',
      429: 'LimitExceeded',
      431: 'RequestHeaderFieldsTooLarge',
      500: 'InternalError',
      502: 'BadGateway',
      503: 'ServiceUnavailable',
    })
    expect(toProblem(new ThrottledError('slow down'), 'r').problem).toMatchObject({ status: 429, code: 'LimitExceeded' })
  })

  it("answers Fastify's own errors with the code of their status", async () => {
    const app = await buildTestApp({ bodyLimit: 1024 })
    const post = (contentType: string, payload: string) =>
      app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: { ...authHeaders, 'content-type': contentType }, payload })
    const cases = [
      [await post('application/xml', '<a/>'), 415, 'UnsupportedMediaType'],
      [await post('application/json', JSON.stringify({ Name: 'x', SecretString: 'y'.repeat(2048) })), 413, 'PayloadTooLarge'],
      [await post('application/json', '{"Name": '), 400, 'BadRequest'],
      [await app.inject({ method: 'GET', url: '/v1/ecs/main/nothing-here', headers: authHeaders }), 404, 'NotFound'],
      [await app.inject({ method: 'GET', url: '/v1/ecs/main/spaces' }), 401, 'Unauthorized'],
    ] as const
    for (const [res, status, code] of cases) {
      expect(res.statusCode).toBe(status)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status, code })
    }
  })

  it("answers Node's parser errors before any route as problem+json: 431 and a malformed request", async () => {
    const app = await buildTestApp()
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    const huge = await rawRequest(port, `GET /v1/ecs/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(huge).toMatchObject({ status: 431, contentType: 'application/problem+json', body: { status: 431, code: 'RequestHeaderFieldsTooLarge' } })
    expect((huge.body as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/)
    const broken = await rawRequest(port, 'NOT A REQUEST\r\n\r\n')
    expect(broken).toMatchObject({ status: 400, contentType: 'application/problem+json', body: { status: 400, code: 'BadRequest' } })
  })
})

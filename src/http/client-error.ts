import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import { statusProblem } from './problem.js'

/**
 * Errors Node's HTTP parser meets before a request exists (headers too large, a malformed request
 * line, a client too slow to send its request) are answered on the raw socket; Fastify's default
 * answers them in its own JSON shape. This one answers a problem+json document like every other
 * error of the API, with a request id of its own (there is no request to take one from).
 */
export function problemClientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request line and headers exceed the allowed size']
        : err.code === 'HPE_URI_TOO_LONG'
          ? [414, 'the request URI is too long']
          : [400, 'malformed HTTP request']
  const requestId = randomUUID()
  const body = JSON.stringify(statusProblem(status, detail, requestId))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }[status] ?? 'Error'
}

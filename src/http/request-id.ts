import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const acceptable = /^[\w.:@-]{1,128}$/

/** A caller's X-Request-Id is kept when it is short and plain (it ends up in logs); else we make one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  const value = Array.isArray(given) ? given[0] : given
  return value !== undefined && acceptable.test(value) ? value : randomUUID()
}

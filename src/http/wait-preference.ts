import type { FastifyReply, FastifyRequest } from 'fastify'
import { fieldError } from '../core/errors.js'

/**
 * How long a caller asked us to hold an answer: `?wait=<seconds>` or `Prefer: wait=<seconds>`
 * (RFC 7240; the query wins when both are given). One reader for every route that can wait.
 */

const NUMBER = /^\d+(?:\.\d+)?$/

function preferredWait(header: string | string[] | undefined): string | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header]
  for (const value of values) {
    for (const preference of value.split(',')) {
      const [token, ...rest] = preference.split(';')[0]!.split('=')
      if (token?.trim().toLowerCase() === 'wait') return rest.join('=').trim().replace(/^"(.*)"$/, '$1')
    }
  }
  return undefined
}

/** Seconds to wait, or undefined when the caller did not ask; a 400 naming the input when it is not a number in [0, max]. */
export function requestedWaitSeconds(request: FastifyRequest, maxSeconds: number): number | undefined {
  const query = request.query as Record<string, unknown> | undefined
  const given = Array.isArray(query?.wait) ? (query.wait as unknown[])[0] : query?.wait
  const fromQuery = typeof given === 'string' || typeof given === 'number' ? String(given) : undefined
  const [field, text] = fromQuery !== undefined ? ['wait', fromQuery] : ['Prefer', preferredWait(request.headers.prefer)]
  if (text === undefined) return undefined
  const seconds = NUMBER.test(text) ? Number(text) : Number.NaN
  if (!Number.isFinite(seconds)) throw fieldError(field, `${field}: wait must be a non-negative number of seconds, not ${JSON.stringify(text)}`)
  if (seconds > maxSeconds) throw fieldError(field, `${field}: wait may be at most ${maxSeconds} seconds, not ${text}`)
  return seconds
}

/** Says in the answer that the wait preference was honoured (RFC 7240 `Preference-Applied`). */
export function markWaitApplied(reply: FastifyReply, seconds: number): void {
  void reply.header('Preference-Applied', `wait=${seconds}`)
}

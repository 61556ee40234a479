import { STATUS_CODES } from 'node:http'
import { DomainError, ErrorCodes, type ErrorCode } from '../core/errors.js'

/** An `application/problem+json` body (RFC 9457) with our `code` and `requestId`. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  requestId: string
  [extra: string]: unknown
}

interface FastifyLikeError extends Error {
  code?: string
  statusCode?: number
  validation?: unknown
  validationContext?: string
}

const codeByStatus = new Map<number, string>([
  ...(Object.entries(ErrorCodes) as [ErrorCode, number][]).map(([code, status]) => [status, code] as const),
  // The conventions' names where Node's reason phrase would give another (api-conventions.md).
  [412, 'PreconditionFailed'],
  [413, 'PayloadTooLarge'],
  [415, 'UnsupportedMediaType'],
  [422, 'UnprocessableEntity'],
  [429, 'LimitExceeded'],
  [500, 'InternalError'],
])

/**
 * The problem `code` of an HTTP status: the conventions' names (400 BadRequest, 413
 * PayloadTooLarge, 415 UnsupportedMediaType, 429 LimitExceeded, ...), else Node's reason phrase in
 * PascalCase (405 MethodNotAllowed, 414 UriTooLong, 431 RequestHeaderFieldsTooLarge), so the code
 * always says the status.
 */
export function codeForStatus(status: number): string {
  const known = codeByStatus.get(status)
  if (known) return known
  const phrase = STATUS_CODES[status]
  if (!phrase) return status >= 500 ? 'InternalError' : 'BadRequest'
  return phrase
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('')
}

/** A problem for an HTTP status alone (errors that come before any route or request object). */
export function statusProblem(status: number, detail: string, requestId: string): Problem {
  return problem(status, codeForStatus(status), detail, requestId)
}

/** Drops every `error` member, at any depth (the messages in a rollback report). */
function withoutErrorTexts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutErrorTexts)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'error').map(([k, v]) => [k, withoutErrorTexts(v)]))
}

/**
 * Errors of body decoding name the input to blame as `path` (the original's clients read it); the
 * problem also names it as `field`, as every newer error does.
 */
function withField(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (details === undefined || details.field !== undefined || typeof details.path !== 'string') return details
  return { ...details, field: details.path }
}

function problem(status: number, code: string, detail: string, requestId: string, extra: Record<string, unknown> = {}): Problem {
  return {
    ...extra,
    type: `urn:ecs-api:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId,
  }
}

/**
 * The one mapping from errors to HTTP answers. Domain errors carry their status; Fastify's own
 * client errors (bad JSON, body too large, failed validation) keep theirs; anything else is our bug:
 * a 500 whose body names only the log id.
 */
export function toProblem(err: unknown, requestId: string): { problem: Problem; retryAfter?: number; internal: boolean } {
  if (err instanceof DomainError) {
    const retryAfter = err.retryAfter
    const internal = err.status >= 500 && err.status !== 502 && err.status !== 503
    // Our own faults name only the log id. Their details (a rollback report) stay, as they say what
    // was undone, but without the error texts, which may carry internals; the log has them.
    const detail = internal ? `internal error; logId=${requestId}` : err.message
    const details = internal ? { ...(withoutErrorTexts(err.details) as object), logId: requestId } : withField(err.details)
    return {
      problem: problem(err.status, err.code, detail, requestId, details),
      ...(retryAfter !== undefined ? { retryAfter } : {}),
      internal,
    }
  }
  const e = err as FastifyLikeError
  const status = e?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = codeForStatus(status)
    let detail = e.message
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError') detail = `malformed JSON body: ${e.message}`
    return { problem: problem(status, code, detail, requestId), internal: false }
  }
  return {
    problem: problem(500, 'InternalError', `internal error; logId=${requestId}`, requestId, { logId: requestId }),
    internal: true,
  }
}

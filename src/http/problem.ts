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

const codeByStatus = new Map<number, ErrorCode>(
  (Object.entries(ErrorCodes) as [ErrorCode, number][]).map(([code, status]) => [status, code]),
)

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
    const code = status === 415 ? 'BadRequest' : (codeByStatus.get(status) ?? 'BadRequest')
    let detail = e.message
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError') detail = `malformed JSON body: ${e.message}`
    return { problem: problem(status, code, detail, requestId), internal: false }
  }
  return {
    problem: problem(500, 'InternalError', `internal error; logId=${requestId}`, requestId, { logId: requestId }),
    internal: true,
  }
}

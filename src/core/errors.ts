/**
 * Domain errors. Adapters and use cases throw these; the HTTP error handler is the only place that
 * turns them into status codes and problem+json bodies.
 */

export const ErrorCodes = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PreconditionFailed: 412,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  UnprocessableEntity: 422,
  LimitExceeded: 429,
  InternalError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
} as const

export type ErrorCode = keyof typeof ErrorCodes

export interface DomainErrorOptions {
  cause?: unknown
  /** Seconds a client should wait before retrying (throttling). */
  retryAfter?: number
  /** Extra, non-secret fields merged into the problem body (for example a rollback report). */
  details?: Record<string, unknown>
}

export class DomainError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly retryAfter: number | undefined
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = `${code}Error`
    this.code = code
    this.status = ErrorCodes[code]
    this.retryAfter = options.retryAfter
    this.details = options.details
  }
}

export class InputError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('BadRequest', message, options)
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'missing or invalid credentials', options?: DomainErrorOptions) {
    super('Unauthorized', message, options)
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('Forbidden', message, options)
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('NotFound', message, options)
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('Conflict', message, options)
  }
}

/** An `If-Match` (or another precondition of the request) no longer holds: 412. */
export class PreconditionFailedError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('PreconditionFailed', message, options)
  }
}

/** The request is well formed but cannot be carried out as it stands (a failed preflight check): 422. */
export class UnprocessableError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('UnprocessableEntity', message, options)
  }
}

/** A 400 blamed on one input: the problem body names it in `field`. */
export function fieldError(field: string, message: string, options: DomainErrorOptions = {}): InputError {
  return new InputError(message, { ...options, details: { ...options.details, field } })
}

export class ThrottledError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super('LimitExceeded', message, { retryAfter: 1, ...options })
  }
}

/** AWS (or another upstream such as a registry) failed or timed out: 502 or 503. */
export class UpstreamError extends DomainError {
  constructor(message: string, options: DomainErrorOptions & { unavailable?: boolean } = {}) {
    super(options.unavailable ? 'ServiceUnavailable' : 'BadGateway', message, options)
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError
}

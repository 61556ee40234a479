import { DomainError, isDomainError } from '../../core/errors.js'

/**
 * A cleanup that removed only part of what it should have. `done` is what it did remove, in the
 * form its success answers; the message names what remains and why. The code is the first cause's
 * (a refusal stays a 403, throttling a 429); a cause that is not a domain error is our bug (500)
 * and its message is not repeated.
 */
export class IncompleteCleanupError<Done> extends DomainError {
  readonly done: Done

  constructor(done: Done, remains: string, causes: readonly unknown[]) {
    const first = causes[0]
    const known = isDomainError(first)
    super(known ? first.code : 'InternalError', known ? `${remains}: ${first.message}` : remains, { cause: first })
    this.name = 'IncompleteCleanupError'
    this.done = done
  }
}

import { DomainError, isDomainError, type ErrorCode } from '../core/errors.js'

/** A workflow definition is wrong (unknown dependency, duplicate id, cycle): a bug, never a user error. */
export class WorkflowDefinitionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WorkflowDefinitionError'
  }
}

/** What happened when a run failed, with the original errors (for logs). */
export interface WorkflowFailureReport {
  readonly workflow: string
  /** The first step that failed; its failure is what triggered the rollback. */
  readonly failedStep: string
  readonly error: unknown
  /** Completed steps whose compensation succeeded, in the order they were undone. */
  readonly rolledBack: string[]
  /** Completed steps whose compensation failed: what they created may still exist. */
  readonly rollbackFailures: { step: string; error: unknown }[]
  /** Completed steps that cannot be undone and so were deliberately left as they are. */
  readonly notRolledBack: { step: string; reason: 'irreversible' }[]
  /** Completed steps that were skipped or changed nothing, so there was nothing to undo. */
  readonly nothingToUndo: string[]
  /** Steps that failed after the first failure (often because they saw the abort signal). */
  readonly alsoFailed: { step: string; error: unknown }[]
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** The report in a JSON-safe form for the problem body: messages only, no stacks or raw objects. */
export function reportDetails(report: WorkflowFailureReport): Record<string, unknown> {
  return {
    workflow: report.workflow,
    failedStep: report.failedStep,
    error: messageOf(report.error),
    rolledBack: report.rolledBack,
    rollbackFailures: report.rollbackFailures.map((f) => ({ step: f.step, error: messageOf(f.error) })),
    notRolledBack: report.notRolledBack,
    nothingToUndo: report.nothingToUndo,
    alsoFailed: report.alsoFailed.map((f) => ({ step: f.step, error: messageOf(f.error) })),
  }
}

/**
 * A workflow failed and was rolled back (as far as possible). It keeps the failing step's code and
 * status, so a Conflict from AWS is still a 409 to the client; anything that is not a domain error is
 * a 500. `details` carries the report for the problem body.
 */
export class WorkflowFailedError extends DomainError {
  readonly report: WorkflowFailureReport

  constructor(report: WorkflowFailureReport) {
    const code: ErrorCode = isDomainError(report.error) ? report.error.code : 'InternalError'
    const incomplete = report.rollbackFailures.length > 0 ? ' (rollback incomplete)' : ''
    super(code, `${report.workflow} failed at step ${report.failedStep}: ${messageOf(report.error)}${incomplete}`, {
      cause: report.error,
      retryAfter: isDomainError(report.error) ? report.error.retryAfter : undefined,
      details: reportDetails(report),
    })
    this.name = 'WorkflowFailedError'
    this.report = report
  }
}

/**
 * Runs one operation to its end (or to a shutdown) through the workflow engine, persisting every
 * step's status and output before the next one starts. Used by both runners; a resumed operation
 * skips the steps that already succeeded and re-runs the one that was in flight.
 */
import { OperationRun, type ExecutionControl, type ExecutionOutcome, type ExecutorDeps } from './operation-run.js'
import { isFinished } from './record.js'

export { MAX_RECOVERIES, type ExecutionControl, type ExecutionOutcome, type ExecutorDeps } from './operation-run.js'

export class OperationExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  /**
   * Runs operation `id`. Step failures end in a `failed` record; a failure of the store itself
   * rejects, leaving the operation unfinished for a later attempt.
   */
  async execute(id: string, control: ExecutionControl): Promise<ExecutionOutcome> {
    const record = await this.deps.store.get(id)
    if (!record || isFinished(record.status)) return 'skipped'
    return await new OperationRun(this.deps, record, control).execute()
  }

  /** Marks an operation failed unless it already finished (its runner gave up on it). */
  async failUnfinished(id: string, message: string): Promise<void> {
    const record = await this.deps.store.get(id)
    if (!record || isFinished(record.status)) return
    const run = new OperationRun(this.deps, record, { stopping: () => true, signal: new AbortController().signal })
    await run.fail({ code: 'InternalError', message })
  }
}

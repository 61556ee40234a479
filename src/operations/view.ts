/**
 * What clients see of an operation: our own view, and the Spinup flywheel task format. Neither
 * shows the durable input or step outputs, which may name resources the client did not ask about.
 */
import type { OperationEvent, OperationRecord, OperationStatus, StepState } from './record.js'

/** A step as clients see it: its state without the persisted output. */
export type OperationStepView = Omit<StepState, 'output' | 'progress'>

/** Members of the record that stay inside: the input, the lookup key, events (single view only), recovery count. */
type Internal = 'input' | 'targetPath' | 'steps' | 'events' | 'recoveries'

export type OperationView = Omit<OperationRecord, Internal> & {
  steps: OperationStepView[]
  /** Only in the single-operation view. */
  events?: OperationEvent[]
}

/** Drops what `Internal` names, and each step's output; members unset in the record stay absent. */
export function toOperationView(record: OperationRecord, options: { events?: boolean } = {}): OperationView {
  const { input: _input, targetPath: _path, steps, events, recoveries: _recoveries, ...shown } = record
  return {
    ...shown,
    steps: steps.map(({ output: _output, progress: _progress, ...step }) => step),
    ...(options.events ? { events } : {}),
  }
}

/** A task as Spinup's flywheel reports it: its status words, snake_case, empty strings for unset times. */
export interface FlywheelTask {
  id: string
  status: 'created' | 'running' | 'completed' | 'failed'
  created_at: string
  checkin_at: string
  completed_at: string
  failed_at: string
  failure: string
  events: string[]
}

const flywheelStatus = {
  queued: 'created',
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
} as const satisfies Record<OperationStatus, FlywheelTask['status']>

export function toFlywheelTask(record: OperationRecord): FlywheelTask {
  const finished = record.finishedAt ?? ''
  return {
    id: record.id,
    status: flywheelStatus[record.status],
    created_at: record.createdAt,
    // The last time the runner reported progress.
    checkin_at: record.updatedAt,
    completed_at: record.status === 'succeeded' ? finished : '',
    failed_at: record.status === 'failed' ? finished : '',
    failure: record.status === 'failed' ? (record.error?.message ?? '') : '',
    events: record.events.map((e) => `${e.at} ${e.message}`),
  }
}

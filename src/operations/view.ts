/**
 * What clients see of an operation: our own view, and the Spinup flywheel task format. Neither
 * shows the durable input or step outputs, which may name resources the client did not ask about.
 */
import type { OperationError, OperationEvent, OperationRecord, OperationStatus, OperationTarget, StepStatus } from './record.js'

export interface OperationStepView {
  id: string
  status: StepStatus
  attempts: number
  startedAt?: string
  finishedAt?: string
  error?: string
}

export interface OperationView {
  id: string
  kind: string
  account: string
  target: OperationTarget
  status: OperationStatus
  steps: OperationStepView[]
  error?: OperationError
  requestId?: string
  createdAt: string
  updatedAt: string
  startedAt?: string
  finishedAt?: string
  runs: number
  /** Only in the single-operation view. */
  events?: OperationEvent[]
}

export function toOperationView(record: OperationRecord, options: { events?: boolean } = {}): OperationView {
  return {
    id: record.id,
    kind: record.kind,
    account: record.account,
    target: record.target,
    status: record.status,
    steps: record.steps.map((s) => ({
      id: s.id,
      status: s.status,
      attempts: s.attempts,
      ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
      ...(s.finishedAt !== undefined ? { finishedAt: s.finishedAt } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    })),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.requestId !== undefined ? { requestId: record.requestId } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.startedAt !== undefined ? { startedAt: record.startedAt } : {}),
    ...(record.finishedAt !== undefined ? { finishedAt: record.finishedAt } : {}),
    runs: record.runs,
    ...(options.events ? { events: record.events } : {}),
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

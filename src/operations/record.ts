/**
 * The durable record of one operation, as both stores keep it (one JSON document per operation).
 * It holds more than the API shows: the kind's input and every finished step's output, so that any
 * process can resume the operation where the last one left it.
 */
import { randomBytes } from 'node:crypto'

export const OPERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const
export type OperationStatus = (typeof OPERATION_STATUSES)[number]
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed'

/** What an operation works on; the parts that apply. */
export interface OperationTarget {
  cluster?: string
  service?: string
  taskDefinition?: string
}

export interface StepState {
  id: string
  status: StepStatus
  /** How many times the step was started (more than one after a resume re-ran it). */
  attempts: number
  startedAt?: string
  finishedAt?: string
  error?: string
  /** Output of a succeeded step, handed to later steps after a resume. Never shown by the API. */
  output?: unknown
  /** What a long step saved while it ran (`saveProgress`), kept across resumes. Never shown by the API. */
  progress?: unknown
}

export interface OperationEvent {
  at: string
  message: string
}

export interface OperationError {
  /** The step that failed, when one did. */
  step?: string
  code: string
  message: string
}

export interface OperationRecord {
  id: string
  kind: string
  account: string
  target: OperationTarget
  /** `target` as a path (`clusters/web/services/api`), what the list filter matches. */
  targetPath: string
  status: OperationStatus
  /** The kind's durable input (JSON). Never shown by the API. */
  input: unknown
  steps: StepState[]
  events: OperationEvent[]
  error?: OperationError
  requestId?: string
  createdAt: string
  updatedAt: string
  startedAt?: string
  finishedAt?: string
  /** How many times a process started running it: 1, plus one per resume. */
  runs: number
  /**
   * How many times it was found `running` by a process that did not run it, i.e. its runner died.
   * Bounded, so an operation that kills its process cannot crash the service forever.
   */
  recoveries: number
}

/** Events kept per operation; the oldest are dropped beyond this. */
export const MAX_EVENTS = 100

export function isFinished(status: OperationStatus): boolean {
  return status === 'succeeded' || status === 'failed'
}

/**
 * A UUID version 7: time-ordered, so ordering by id is ordering by creation, which both stores use
 * for newest-first listing and cursors.
 */
function newOperationId(now: number = Date.now()): string {
  const b = randomBytes(16)
  b.writeUIntBE(now, 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const OPERATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isOperationId(value: string): boolean {
  return OPERATION_ID.test(value)
}

/** The path form of a target, with the API's own segment names. */
export function targetPath(target: OperationTarget): string {
  const parts: string[] = []
  if (target.cluster !== undefined) parts.push('clusters', target.cluster)
  if (target.service !== undefined) parts.push('services', target.service)
  if (target.taskDefinition !== undefined) parts.push('taskdefs', target.taskDefinition)
  return parts.map((p, i) => (i % 2 === 0 ? p : encodeURIComponent(p))).join('/')
}

/** Appends an event, dropping the oldest beyond MAX_EVENTS. */
export function addEvent(record: OperationRecord, message: string, at: string = new Date().toISOString()): void {
  record.events.push({ at, message })
  if (record.events.length > MAX_EVENTS) record.events.splice(0, record.events.length - MAX_EVENTS)
  record.updatedAt = at
}

export interface NewRecordInput {
  kind: string
  account: string
  target: OperationTarget
  input: unknown
  stepIds: readonly string[]
  requestId?: string
}

/** A new record: queued, every step pending. */
export function newRecord(init: NewRecordInput, now: Date = new Date()): OperationRecord {
  const at = now.toISOString()
  const record: OperationRecord = {
    id: newOperationId(now.getTime()),
    kind: init.kind,
    account: init.account,
    target: { ...init.target },
    targetPath: targetPath(init.target),
    status: 'queued',
    input: init.input,
    steps: init.stepIds.map((id) => ({ id, status: 'pending', attempts: 0 })),
    events: [],
    ...(init.requestId !== undefined ? { requestId: init.requestId } : {}),
    createdAt: at,
    updatedAt: at,
    runs: 0,
    recoveries: 0,
  }
  addEvent(record, 'queued', at)
  return record
}

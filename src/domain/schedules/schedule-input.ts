import type { TaskOverride } from '@aws-sdk/client-ecs'
import { decode } from '../../codec/index.js'
import { InputError } from '../../core/errors.js'
import { MAX_TASK_COUNT, overridesOf } from '../tasks/task-launch.js'
import { ScheduleBody } from './bodies.js'
import { parseScheduleExpression, type ScheduleExpression } from '../../core/schedule-expression.js'
import { checkRunnable, checkTimezone } from '../../core/next-runs.js'

/** Scheduler's own rule for schedule names. */
const NAME = /^[0-9A-Za-z_.-]{1,64}$/
/** Scheduler's limit for a description. */
const MAX_DESCRIPTION = 512

export interface ScheduleInput {
  name: string
  expression: ScheduleExpression
  timezone: string
  enabled: boolean
  count: number
  /** The revision asked for; undefined means the family's latest ACTIVE one. */
  revision: number | undefined
  overrides: TaskOverride | undefined
  description: string | undefined
}

function fieldProblem(field: string, problem: string): InputError {
  return new InputError(`${field} ${problem}`, { details: { field } })
}

/** The run route's checks name the path of a bad member; the answer carries it as `field` too. */
export function namingField<T>(check: () => T): T {
  try {
    return check()
  } catch (err) {
    const path = err instanceof InputError ? err.details?.path : undefined
    if (typeof path !== 'string' || !(err instanceof InputError)) throw err
    throw new InputError(err.message, { cause: err, details: { ...err.details, field: path } })
  }
}

export function checkScheduleName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name === '') throw fieldProblem(field, 'is required')
  if (!NAME.test(name)) throw fieldProblem(field, `"${name}" must be 1 to 64 letters, digits, _ . or -`)
  return name
}

/**
 * Reads and checks the whole body before any AWS call: on PUT the name comes from the path (a body
 * name must be the same), everything else is the full new definition.
 */
export function readScheduleBody(body: unknown, options: { pathName?: string; now: Date }): ScheduleInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldProblem('body', 'must be a JSON object')
  const { value, unknownKeys } = decode(ScheduleBody, body)
  const [unknown] = unknownKeys
  if (unknown !== undefined) throw fieldProblem(unknown, 'is not a field of a schedule')
  let name: string
  if (options.pathName !== undefined) {
    name = checkScheduleName(options.pathName)
    if (value.name !== undefined && value.name !== name) throw fieldProblem('name', `"${value.name}" differs from the schedule's name "${name}" (a schedule cannot be renamed)`)
  } else {
    name = checkScheduleName(value.name)
  }
  const expression = parseScheduleExpression(value.expression)
  const timezone = checkTimezone(value.timezone ?? 'UTC')
  checkRunnable(expression, timezone, options.now)
  const count = value.count ?? 1
  if (!Number.isInteger(count) || count < 1 || count > MAX_TASK_COUNT) throw fieldProblem('count', `must be a whole number from 1 to ${MAX_TASK_COUNT}`)
  const revision = value.revision
  if (revision !== undefined && (!Number.isInteger(revision) || revision < 1)) throw fieldProblem('revision', 'must be a positive whole number')
  if (value.description !== undefined && value.description.length > MAX_DESCRIPTION) {
    throw fieldProblem('description', `is longer than ${MAX_DESCRIPTION} characters`)
  }
  return {
    name,
    expression,
    timezone,
    enabled: value.enabled ?? true,
    count,
    revision,
    // The run route's allow-list: a field outside it is a 400 naming it.
    overrides: namingField(() => overridesOf(value.overrides)),
    description: value.description,
  }
}

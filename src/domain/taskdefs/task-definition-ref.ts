import { InputError } from '../../core/errors.js'

/**
 * The `{taskdef}` path segment: a family (`web`), a revision (`web:3`) or a task definition ARN.
 * Anything else is a 400 before any AWS call.
 */
export interface TaskDefinitionRef {
  /** What ECS is asked for (the segment as given). */
  readonly ref: string
  readonly family: string
  /** Set for `family:revision` and ARNs. */
  readonly revision: number | undefined
}

const FAMILY = '[A-Za-z0-9_-]{1,255}'
const BY_FAMILY = new RegExp(`^(${FAMILY})$`)
const BY_REVISION = new RegExp(`^(${FAMILY}):([1-9]\\d{0,9})$`)
const BY_ARN = new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/(${FAMILY}):([1-9]\\d{0,9})$`)

export function parseTaskDefinitionRef(segment: string): TaskDefinitionRef {
  const family = BY_FAMILY.exec(segment)
  if (family) return { ref: segment, family: family[1] ?? segment, revision: undefined }
  const match = BY_REVISION.exec(segment) ?? BY_ARN.exec(segment)
  if (match) return { ref: segment, family: match[1] ?? '', revision: Number(match[2]) }
  throw new InputError(`taskdef "${segment}" is not a family, family:revision or task definition ARN`)
}

import { InputError } from './errors.js'

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
  /** For an ARN: its `arn:<partition>:ecs:<region>:<account>:` part, which must be the account's own. */
  readonly home: string | undefined
}

const FAMILY = '[A-Za-z0-9_-]{1,255}'
const BY_FAMILY = new RegExp(`^(${FAMILY})$`)
const BY_REVISION = new RegExp(`^(${FAMILY}):([1-9]\\d{0,9})$`)
const BY_ARN = new RegExp(`^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:)task-definition/(${FAMILY}):([1-9]\\d{0,9})$`)
/** The partition, region and account of any ECS ARN. */
const HOME = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:/

export function parseTaskDefinitionRef(segment: string): TaskDefinitionRef {
  const family = BY_FAMILY.exec(segment)
  if (family) return { ref: segment, family: family[1] ?? segment, revision: undefined, home: undefined }
  const revision = BY_REVISION.exec(segment)
  if (revision) return { ref: segment, family: revision[1] ?? '', revision: Number(revision[2]), home: undefined }
  const arn = BY_ARN.exec(segment)
  if (arn) return { ref: segment, family: arn[2] ?? '', revision: Number(arn[3]), home: arn[1] }
  throw new InputError(`taskdef "${segment}" is not a family, family:revision or task definition ARN`)
}

/**
 * Whether `ref` can name something of the account whose ECS answered `arn` (an ARN of that account
 * and region): a family or revision always can, an ARN only when it has the same partition, region
 * and account. ECS (and moto) may resolve another account's ARN by its family and revision alone,
 * so an answer is only the one asked for when this holds.
 */
export function isOfAccount(ref: TaskDefinitionRef, arn: string | undefined): boolean {
  if (ref.home === undefined) return true
  return arn !== undefined && HOME.exec(arn)?.[0] === ref.home
}

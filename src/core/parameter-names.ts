import { InputError } from './errors.js'

/**
 * Parameter names of the org: `/<org>/<prefix>/<name>`. The characters and limits are SSM's own,
 * checked here so a bad `{prefix}` or name is a 400 naming it rather than an AWS error.
 */

/** One level of an SSM hierarchy: the characters SSM allows besides `/`. */
const SEGMENT = /^[A-Za-z0-9_.-]+$/
/** SSM allows at most 15 levels below the root. */
const MAX_LEVELS = 15
/** SSM's limit on the full ARN of a parameter, which includes its name. */
const MAX_ARN_LENGTH = 1011
const SEGMENT_RULE = 'may only contain letters, digits and _.-'

/** `/<org>/<prefix>`: the path every parameter of a prefix lives under. */
export function prefixPath(org: string, prefix: string): string {
  checkPrefix(prefix)
  return `/${org}/${prefix}`
}

/** `{prefix}` of the routes: one hierarchy level. */
export function checkPrefix(prefix: string): void {
  if (prefix.includes('/')) throw new InputError(`prefix "${prefix}" must be a single path segment (no '/')`)
  if (!SEGMENT.test(prefix)) throw new InputError(`prefix "${prefix}" ${SEGMENT_RULE}`)
}

/** The `Name` of a create: one level, the org and prefix are put in front of it. */
export function checkNewName(name: string | undefined): string {
  if (name === undefined || name.length === 0) throw new InputError('Name is required')
  if (name.includes('/')) throw new InputError(`Name (${name}) cannot contain '/'`)
  if (!SEGMENT.test(name)) throw new InputError(`Name "${name}" ${SEGMENT_RULE}`)
  return name
}

/**
 * `{param}` of the routes: a name relative to the prefix. It may hold inner slashes (URL-encoded as
 * %2F), because listings return nested names that way.
 */
export function checkRelativeName(param: string): void {
  const segments = param.split('/')
  for (const segment of segments) {
    if (segment.length === 0) throw new InputError(`parameter "${param}" has an empty path segment`)
    if (!SEGMENT.test(segment)) throw new InputError(`parameter "${param}" ${SEGMENT_RULE} (and '/' between levels)`)
  }
}

/** The full name `/<org>/<prefix>/<name>`, checked against SSM's depth and length limits. */
export function fullParameterName(org: string, prefix: string, name: string, region: string): string {
  checkPrefix(prefix)
  checkRelativeName(name)
  const full = `/${org}/${prefix}/${name}`
  const levels = full.split('/').length - 1
  if (levels > MAX_LEVELS) throw new InputError(`parameter ${full} is ${levels} levels deep; SSM allows ${MAX_LEVELS}`)
  // The ARN is arn:<partition>:ssm:<region>:<12-digit account>:parameter<name>.
  const arnLength = `arn:aws:ssm:${region}:123456789012:parameter`.length + full.length
  if (arnLength > MAX_ARN_LENGTH) throw new InputError(`parameter name ${full} is too long for SSM`)
  return full
}

/** The name relative to the prefix path (`/<org>/<prefix>/a/b` → `a/b`), or undefined outside it. */
export function relativeName(fullName: string, path: string): string | undefined {
  const base = `${path}/`
  return fullName.startsWith(base) && fullName.length > base.length ? fullName.slice(base.length) : undefined
}

/**
 * JSON paths for error messages and unknown-key reports, e.g.
 * `taskdefinition.containerdefinitions[0].logConfiguration.options["awslogs-group"]`.
 * Paths are kept as a segment stack while walking and rendered only when something is reported,
 * so the happy path builds no strings.
 */

export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function renderPath(prefix: string, segments: readonly PathSegment[]): string {
  let out = prefix
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (IDENTIFIER.test(segment)) out += out.length === 0 ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

import { ForbiddenError, InputError } from './errors.js'

/** A tag as clients send it and AWS (most services) takes it. */
export interface Tag {
  Key: string
  Value: string
}

/** A tag as the codec decodes it from a client body: AWS declares both members optional. */
export interface DecodedTag {
  Key?: string | undefined
  Value?: string | undefined
}

export const ORG_TAG = 'spinup:org'
export const SPACE_TAG = 'spinup:spaceid'
export const TYPE_TAG = 'spinup:type'
export const FLAVOR_TAG = 'spinup:flavor'
/**
 * On a service's task-definition revisions: the service they were registered for, so a recursive
 * delete of the service finds every family it ran, also those it has since moved away from.
 */
export const SERVICE_TAG = 'spinup:service'
/**
 * The org tag of the platform's earlier generation. Only on input is it treated like `spinup:org`
 * (a client's is refused or dropped, see `withoutOrgTags`); it never puts a resource in an org.
 */
const LEGACY_ORG_TAG = 'yale:org'

export type Flavor = 'service' | 'task'

const isOrgKey = (key: string) => key === ORG_TAG || key === LEGACY_ORG_TAG

/**
 * The one rule for org tags in client input, on creates and updates alike: a `spinup:org` (or
 * `yale:org`) tag naming another org is refused (403), so no request can move a resource to, or
 * claim it for, another org. One naming ours is redundant and dropped (the resource has or gets ours).
 */
export function withoutOrgTags(tags: readonly Tag[] | undefined, org: string): Tag[] {
  const kept: Tag[] = []
  for (const tag of tags ?? []) {
    if (isOrgKey(tag.Key)) {
      if (tag.Value !== org) throw new ForbiddenError(`tag ${tag.Key}=${tag.Value} is not a part of our org (${org})`)
      continue
    }
    kept.push(tag)
  }
  return kept
}

/** `spinup:org=<org>` followed by the client's tags (org tags checked and dropped). */
export function orgTags(tags: readonly Tag[] | undefined, org: string): Tag[] {
  return [{ Key: ORG_TAG, Value: org }, ...withoutOrgTags(tags, org)]
}

/**
 * The tags every managed ECS resource of a space gets: org, space, type and flavor first, then the
 * client's tags minus the ones we own.
 */
export function cleanedTags(tags: readonly Tag[] | undefined, org: string, space: string, flavor: Flavor): Tag[] {
  const ours = new Set([SPACE_TAG, TYPE_TAG, FLAVOR_TAG])
  return [
    { Key: ORG_TAG, Value: org },
    { Key: SPACE_TAG, Value: space },
    { Key: TYPE_TAG, Value: 'container' },
    { Key: FLAVOR_TAG, Value: flavor },
    ...withoutOrgTags(tags, org).filter((t) => !ours.has(t.Key)),
  ]
}

/** Whether a resource's tags (in any AWS spelling) put it in `org`: only `spinup:org` counts. */
export function belongsToOrg(
  tags: readonly { Key?: string; Value?: string; key?: string; value?: string }[] | undefined,
  org: string,
): boolean {
  return (tags ?? []).some((t) => (t.Key ?? t.key) === ORG_TAG && (t.Value ?? t.value) === org)
}

/** ECS spells tags `{key, value}`. */
export function toEcsTags(tags: readonly Tag[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.Key, value: t.Value }))
}

/** ECS tags (`{key, value}`, both optional in the SDK) as `{Key, Value}`; a missing member is `''`. */
export function fromEcsTags(tags: readonly { key?: string | undefined; value?: string | undefined }[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ Key: t.key ?? '', Value: t.value ?? '' }))
}

/** CloudWatch Logs takes tags as a map. */
export function toTagMap(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
}

/** AWS allows 50 tags per resource (ECS, IAM, Secrets Manager, SSM, CloudWatch Logs). */
export const MAX_TAGS = 50
/** Client tags of a managed ECS resource: four of its 50 are ours (org, space, type, flavor). */
export const MAX_ECS_CLIENT_TAGS = MAX_TAGS - 4
const MAX_KEY_LENGTH = 128
const MAX_VALUE_LENGTH = 256
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/**
 * The tag rules ECS, IAM, Secrets Manager, SSM and CloudWatch Logs share: key 1-128 and value 0-256
 * characters of letters, digits, spaces and `_.:/=+-@`, no `aws:` keys, no key twice, at most `max`
 * tags. Checked before any AWS call so a bad tag is a 400 naming it (`<field>[i]`) and a request never
 * half-applies. Returns the tags as complete `{Key, Value}` pairs.
 */
export function checkTags(tags: readonly DecodedTag[] | undefined, rules: { field: string; max: number }): Tag[] {
  const { field, max } = rules
  if (tags === undefined) return []
  if (tags.length > max) throw new InputError(`${field} has ${tags.length} tags; at most ${max} are allowed`)
  const seen = new Set<string>()
  return tags.map((tag, i) => {
    const at = `${field}[${i}]`
    const key = tag.Key
    if (key === undefined || key.length === 0) throw new InputError(`${at}.Key is required`)
    if (key.length > MAX_KEY_LENGTH) throw new InputError(`${at}.Key is longer than ${MAX_KEY_LENGTH} characters`)
    if (!TAG_TEXT.test(key)) throw new InputError(`${at}.Key may only contain letters, digits, spaces and _.:/=+-@`)
    if (key.toLowerCase().startsWith('aws:')) throw new InputError(`${at}.Key: the aws: prefix is reserved for AWS`)
    if (seen.has(key)) throw new InputError(`${at}.Key ${key} is given twice`)
    seen.add(key)
    const value = tag.Value
    if (value === undefined) throw new InputError(`${at}.Value is required`)
    if (value.length > MAX_VALUE_LENGTH) throw new InputError(`${at}.Value is longer than ${MAX_VALUE_LENGTH} characters`)
    if (!TAG_TEXT.test(value)) throw new InputError(`${at}.Value may only contain letters, digits, spaces and _.:/=+-@`)
    return { Key: key, Value: value }
  })
}

/** Whether ECS tags (`{key, value}`) put a resource in `space`. */
export function inSpace(tags: readonly { key?: string; value?: string }[], space: string): boolean {
  return tags.some((t) => t.key === SPACE_TAG && t.value === space)
}

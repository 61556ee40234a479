import { ForbiddenError } from './errors.js'

/** A tag as clients send it and AWS (most services) takes it. */
export interface Tag {
  Key: string
  Value: string
}

export const ORG_TAG = 'spinup:org'
export const SPACE_TAG = 'spinup:spaceid'
export const TYPE_TAG = 'spinup:type'
export const FLAVOR_TAG = 'spinup:flavor'
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

/** CloudWatch Logs takes tags as a map. */
export function toTagMap(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]))
}

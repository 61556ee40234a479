import type { Tagging } from './tagging.js'
import { ORG_TAG, SPACE_TAG } from '../core/tags.js'

export const LOAD_BALANCER = 'elasticloadbalancing:loadbalancer'
export const TARGET_GROUP = 'elasticloadbalancing:targetgroup'

/**
 * The ARNs of the resources of `resourceTypes` (full types such as `elasticloadbalancing:targetgroup`)
 * that belong to `space` of `org`, by type, found with one query however many types are asked. The
 * tag filters do the work; the tags and the types are checked again here so a resource of another
 * org can never slip through a backend that ignores a filter.
 */
export async function spaceResourceArns<T extends string>(
  tagging: Tagging,
  org: string,
  space: string,
  resourceTypes: readonly T[],
): Promise<Record<T, string[]>> {
  const found = await tagging.getResources({
    resourceTypes,
    tags: [
      { key: ORG_TAG, values: [org] },
      { key: SPACE_TAG, values: [space] },
    ],
  })
  const byType = new Map<string, string[]>(resourceTypes.map((type) => [type, []]))
  for (const r of found) {
    if (r.tags[ORG_TAG] === org && r.tags[SPACE_TAG] === space) byType.get(resourceTypeOf(r.arn))?.push(r.arn)
  }
  return Object.fromEntries(byType) as Record<T, string[]>
}

/**
 * `<service>:<type>` of an ARN (`arn:<partition>:<service>:<region>:<account>:<type>/...`), the
 * spelling of the tagging API's type filters.
 */
function resourceTypeOf(arn: string): string {
  const [, , service = '', , , resource = ''] = arn.split(':')
  return `${service}:${resource.split('/')[0] ?? ''}`
}

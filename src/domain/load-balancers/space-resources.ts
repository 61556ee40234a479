import type { Tagging } from '../../aws/tagging.js'
import { ORG_TAG, SPACE_TAG } from '../tags.js'

/**
 * The ARNs of the resources of one type that belong to `space` of `org`. The tag filters do the
 * work; the tags are checked again here so a resource of another org can never slip through a
 * backend that ignores a filter.
 */
export async function spaceResourceArns(
  tagging: Tagging,
  org: string,
  space: string,
  resourceType: string,
): Promise<string[]> {
  const found = await tagging.getResources({
    resourceTypes: [resourceType],
    tags: [
      { key: ORG_TAG, values: [org] },
      { key: SPACE_TAG, values: [space] },
    ],
  })
  return found.filter((r) => r.tags[ORG_TAG] === org && r.tags[SPACE_TAG] === space).map((r) => r.arn)
}

import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api'
import { paginateGetResources } from './sdk/tagging.js'

/**
 * Resource Groups Tagging API: find resources of any service by type and tags in one query, which
 * is how org and space membership is looked up for resources whose own APIs cannot filter by tag
 * (target groups, load balancers, task definitions, services).
 */

/** One tag condition: the key must be present and, when `values` are given, carry one of them. */
export interface TagFilter {
  key: string
  values?: readonly string[]
}

export interface ResourceQuery {
  /**
   * AWS resource types such as `elasticloadbalancing:targetgroup` or `ecs:task-definition`; a bare
   * service name (`ecs`) matches all of its types. Empty: every type.
   */
  resourceTypes?: readonly string[]
  /** All filters must match (AND); the values inside one filter are alternatives (OR). */
  tags?: readonly TagFilter[]
}

export interface TaggedResource {
  arn: string
  /** The resource's tags as a map (AWS keys are unique per resource). */
  tags: Record<string, string>
}

export interface Tagging {
  /** Every resource matching `query`, all pages followed, in the order AWS returns them. */
  getResources(query: ResourceQuery): Promise<TaggedResource[]>
}

/** The API's largest page, so a space of up to 100 matches costs one call. */
const RESOURCES_PER_PAGE = 100

/** The tagging adapter over one account's client (errors arrive already translated). */
export function taggingApi(client: ResourceGroupsTaggingAPIClient): Tagging {
  return {
    async getResources(query) {
      const input = {
        ResourcesPerPage: RESOURCES_PER_PAGE,
        ...(query.resourceTypes?.length ? { ResourceTypeFilters: [...query.resourceTypes] } : {}),
        ...(query.tags?.length
          ? { TagFilters: query.tags.map((f) => ({ Key: f.key, ...(f.values ? { Values: [...f.values] } : {}) })) }
          : {}),
      }
      const found: TaggedResource[] = []
      // stopOnSameToken: a backend that hands back the token it was given would otherwise loop forever.
      for await (const page of paginateGetResources({ client, stopOnSameToken: true }, input)) {
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (!mapping.ResourceARN) continue
          const tags: Record<string, string> = {}
          for (const t of mapping.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? ''
          found.push({ arn: mapping.ResourceARN, tags })
        }
      }
      return found
    },
  }
}

import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api'
import { paginateGetResources, TagResourcesCommand } from './sdk/tagging.js'
import { chunk, mapWithConcurrency } from '../core/concurrency.js'
import { translateAwsError } from './translate-error.js'

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

/** A resource TagResources could not tag, with the reason as a translated (domain) error. */
export interface FailedTag {
  arn: string
  error: unknown
}

export interface Tagging {
  /** Every resource matching `query`, all pages followed, in the order AWS returns them. */
  getResources(query: ResourceQuery): Promise<TaggedResource[]>
  /**
   * Puts `tags` on every resource of `arns` (any service the API covers), in calls of at most 20
   * ARNs. The call succeeds even when some resources fail: those are answered, each with its
   * `FailedResourcesMap` entry translated as the resource's own service's error would be.
   */
  tagResources(arns: readonly string[], tags: Record<string, string>): Promise<FailedTag[]>
}

/** The API's largest page, so a space of up to 100 matches costs one call. */
const RESOURCES_PER_PAGE = 100

/** TagResources takes at most 20 ARNs per call. */
const TAG_RESOURCES_BATCH = 20
/** TagResources calls in flight at once. */
const TAG_FAN_OUT = 4

/** `ecs` of `arn:aws:ecs:...`: the service a resource belongs to (whose error a failed entry stands for). */
export function serviceOfArn(arn: string): string {
  return arn.split(':')[2] ?? 'unknown'
}

/**
 * One `FailedResourcesMap` entry as the error the resource's own service would have thrown, so the
 * caller tells "not found" from other failures as it does for direct calls. The API's own
 * `InternalServiceException` (no answer from the service, or a type it does not cover) is an
 * upstream failure, whatever status it carries.
 */
function failureError(arn: string, info: { ErrorCode?: string; StatusCode?: number; ErrorMessage?: string }): unknown {
  const code = info.ErrorCode ?? 'UnknownError'
  const status = code === 'InternalServiceException' ? 500 : (info.StatusCode ?? 400)
  const err = Object.assign(new Error(`${info.ErrorMessage ?? 'no message'} (${arn})`), {
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  })
  return translateAwsError(err, `Tagging(${serviceOfArn(arn)})`, 'TagResources')
}

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

    async tagResources(arns, tags) {
      const batches = chunk([...new Set(arns)], TAG_RESOURCES_BATCH)
      const failed = await mapWithConcurrency(
        batches,
        async (batch) => {
          const out = await client.send(new TagResourcesCommand({ ResourceARNList: batch, Tags: tags }))
          return Object.entries(out.FailedResourcesMap ?? {}).map(([arn, info]) => ({ arn, error: failureError(arn, info) }))
        },
        TAG_FAN_OUT,
      )
      return failed.flat()
    },
  }
}

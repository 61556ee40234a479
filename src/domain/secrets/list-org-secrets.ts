import { listSecrets } from '../../aws/secrets-manager.js'
import { ORG_TAG, belongsToOrg } from '../../core/tags.js'
import type { SecretScope } from './org-secret.js'

/** Query values as Fastify parses them: a repeated key gives an array. */
export type TagQuery = Record<string, string | string[] | undefined>

/** `key=value` filters of the query; the first value of a repeated key wins, and `spinup:org` is always ours. */
function tagFilters(query: TagQuery): Map<string, string> {
  const filters = new Map<string, string>()
  for (const [key, raw] of Object.entries(query)) {
    if (key === ORG_TAG) continue
    const value = Array.isArray(raw) ? raw[0] : raw
    if (value !== undefined) filters.set(key, value)
  }
  return filters
}

/**
 * ARNs of the org's secrets carrying every given tag with exactly that value, all pages; secrets
 * scheduled for deletion are not listed. AWS narrows the listing to the org (its tag filters match
 * keys and values by prefix and independently), and every match is confirmed here. The query's tags
 * are only matched here: they may hold characters AWS filters refuse.
 */
export async function listOrgSecretArns(scope: SecretScope, query: TagQuery): Promise<string[]> {
  const wanted = tagFilters(query)
  const secrets = await listSecrets(scope.secretsManager, [
    { Key: 'tag-key', Values: [ORG_TAG] },
    { Key: 'tag-value', Values: [scope.org] },
  ])
  return secrets
    .filter((s) => belongsToOrg(s.Tags, scope.org))
    .filter((s) => [...wanted].every(([key, value]) => s.Tags?.some((t) => t.Key === key && t.Value === value)))
    .map((s) => s.ARN)
    .filter((arn): arn is string => arn !== undefined)
}

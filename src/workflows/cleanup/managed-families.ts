import { familyOfArn, type Ecs } from '../../aws/ecs.js'
import { taggingApi } from '../../aws/tagging.js'
import type { Account } from '../../aws/account-clients.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { FLAVOR_TAG, ORG_TAG, SPACE_TAG, TYPE_TAG, type Flavor } from '../../core/tags.js'

/** ListTaskDefinitions calls in flight while checking which families are still alive. */
const CONCURRENCY = 4

/**
 * Families of the org's task definitions in a space, from the tagging API (every page), keeping only
 * families with an ACTIVE revision: the tagging index still lists deregistered revisions, and a family
 * whose revisions are all deregistered has been deleted. Sorted and without duplicates.
 *
 * `flavor` narrows to managed task definitions (`task`) or services' (`service`); without it both count.
 */
export async function managedFamilies(account: Account, ecs: Ecs, org: string, cluster: string, flavor?: Flavor): Promise<string[]> {
  const resources = await taggingApi(account.clients.tagging).getResources({
    resourceTypes: ['ecs:task-definition'],
    tags: [
      { key: ORG_TAG, values: [org] },
      { key: TYPE_TAG, values: ['container'] },
      ...(flavor ? [{ key: FLAVOR_TAG, values: [flavor] }] : []),
      { key: SPACE_TAG, values: [cluster] },
    ],
  })
  const families = [...new Set(resources.map((r) => familyOfArn(r.arn)).filter((f): f is string => f !== undefined))]
  const alive = await mapWithConcurrency(families, (family) => ecs.hasActiveRevision(family), CONCURRENCY)
  return families.filter((_, i) => alive[i]).sort()
}

import type { Ecs } from '../../aws/ecs.js'
import { ConflictError } from '../../core/errors.js'
import { belongsToOrg, FLAVOR_TAG, inSpace, type Flavor } from '../../core/tags.js'

/**
 * The pre-write check of every request that registers a revision (task-definition create, service
 * create and update): a family belongs to one org, one space and one kind of user. Adding a revision
 * to a family another org or space uses, or one of the other flavor, would hand its name (and the
 * latest revision its users get) to this request: 409. A family without an ACTIVE revision is free.
 * Without `flavor` (a service's update continuing the family it already runs) only org and space count.
 */
export async function assertFamilyFree(
  ecs: Ecs,
  family: string,
  owner: { org: string; cluster: string; flavor?: Flavor | undefined },
): Promise<void> {
  const latest = await ecs.describeTaskDefinition(family)
  if (!latest || latest.taskDefinition.status !== 'ACTIVE') return
  if (!belongsToOrg(latest.tags, owner.org) || !inSpace(latest.tags, owner.cluster)) {
    throw new ConflictError(`task definition family ${family} is already used outside cluster ${owner.cluster}`)
  }
  const flavor = latest.tags.find((t) => t.key === FLAVOR_TAG)?.value
  if (owner.flavor !== undefined && flavor !== undefined && flavor !== owner.flavor) {
    const user = flavor === 'service' ? 'a service' : 'a task definition'
    throw new ConflictError(`task definition family ${family} belongs to ${user} of cluster ${owner.cluster}`)
  }
}

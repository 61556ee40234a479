import type { Ecs, TaskDefinitionWithTags } from '../../aws/ecs.js'
import { NotFoundError } from '../../core/errors.js'
import { belongsToOrg, inSpace } from '../../core/tags.js'
import type { TaskDefinitionRef } from '../../core/task-definition-ref.js'

/**
 * The task definition `ref` names, when it is the org's and lives in `cluster`; otherwise 404, so a
 * task definition of another org or space does not exist for this API. A bare family names its
 * latest ACTIVE revision: a family whose revisions are all deregistered is gone. An ARN of another
 * account or region is not this account's, whatever ECS resolved it to.
 */
export async function requireOrgTaskDefinition(
  ecs: Ecs,
  ref: TaskDefinitionRef,
  org: string,
  cluster: string,
): Promise<TaskDefinitionWithTags> {
  const found = await ecs.describeTaskDefinition(ref.ref)
  const gone = ref.revision === undefined && found?.taskDefinition.status === 'INACTIVE'
  const elsewhere = ref.home !== undefined && found?.taskDefinition.taskDefinitionArn !== ref.ref
  if (!found || gone || elsewhere || !belongsToOrg(found.tags, org) || !inSpace(found.tags, cluster)) {
    throw new NotFoundError(`task definition ${ref.ref} not found in cluster ${cluster}`)
  }
  return found
}

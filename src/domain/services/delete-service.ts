import { Service$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import type { OperationView } from '../../operations/index.js'
import { startOperation } from '../use-case-context.js'
import { FLAVOR_TAG } from '../../core/tags.js'
import type { ServiceContext } from './context.js'
import { deleteEcsService, familyOfRef } from '../../workflows/cleanup/delete-service.js'
import { SERVICE_DELETE_KIND, type ServiceDeleteInput } from './delete-operation.js'
import { findOrgService } from './find-service.js'

export interface DeletedService {
  /** The original's body: the service as it was, the other members null. */
  body: { [key: string]: JsonValue }
  /** The operation doing the rest, for a recursive delete. */
  operation?: OperationView
}

/**
 * Deletes the org's service. Plain: scale to 0 and delete it (force) now. Recursive: start an
 * operation that does that, then deletes its Cloud Map registrations, the revisions of its task
 * definition with their credential secrets, and the cluster and its role when nothing else is left.
 */
export async function deleteService(
  ctx: ServiceContext,
  cluster: string,
  name: string,
  recursive: boolean,
): Promise<DeletedService> {
  const service = await findOrgService(ctx, cluster, name)
  const body = {
    Cluster: null,
    Credentials: null,
    TaskDefinition: null,
    Service: encode(Service$, service),
    ServiceDiscoveryService: null,
  }
  if (!recursive) {
    await deleteEcsService(ctx.services, cluster, service.serviceArn ?? name, service)
    return { body }
  }

  // A managed task definition (flavor task) has its own lifecycle: the service only used it.
  const taskDefinition = service.taskDefinition ? await ctx.ecs.describeTaskDefinition(service.taskDefinition) : undefined
  const managed = taskDefinition?.tags.some((t) => t.key === FLAVOR_TAG && t.value === 'task') === true
  const family = taskDefinition?.taskDefinition.family ?? (service.taskDefinition ? familyOfRef(service.taskDefinition) : undefined)
  const input: ServiceDeleteInput = {
    org: ctx.org,
    cluster,
    service: service.serviceName ?? name,
    serviceArn: service.serviceArn ?? name,
    registryArns: (service.serviceRegistries ?? []).flatMap((r) => r.registryArn ?? []),
    ...(family && !managed ? { family } : {}),
  }
  const operation = await startOperation(ctx, SERVICE_DELETE_KIND, { cluster, service: input.service }, input)
  return { body, operation }
}

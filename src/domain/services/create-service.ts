import { randomUUID } from 'node:crypto'
import { Cluster$, Service$, TaskDefinition$, type Cluster, type TaskDefinition } from '@aws-sdk/client-ecs'
import { CreateSecretResponse$ } from '@aws-sdk/client-secrets-manager'
import { Service$ as RegistryService$ } from '@aws-sdk/client-servicediscovery'
import { encode, type JsonValue } from '../../codec/index.js'
import type { RegistryService } from '../../aws/service-discovery.js'
import type { AccountNetwork } from '../../workflows/steps/create-ecs-service.js'
import type { RepositoryCredentials } from '../../workflows/steps/create-repository-credentials.js'
import { ensureCluster } from '../../workflows/steps/ensure-cluster.js'
import { registerTaskDefinition } from '../../workflows/steps/register-task-definition.js'
import { createRepositoryCredentials } from '../../workflows/steps/create-repository-credentials.js'
import { createServiceRegistryStep } from '../../workflows/steps/create-service-registry.js'
import { CREATE_ECS_SERVICE_STEP } from '../../workflows/steps/create-ecs-service.js'
import { spaceScope } from '../../workflows/steps/space-scope.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import type { Leftover } from '../../workflows/rollback-finish.js'
import { ConflictError, InputError } from '../../core/errors.js'
import { findReusableCluster, requireOrgCluster } from '../../core/clusters.js'
import { assertFamilyFree } from '../taskdefs/family-check.js'
import type { ServiceContext } from './context.js'
import { parseCreateServiceBody, type CreateServicePlan } from './create-input.js'
import { requireSpaceRevision } from './find-service.js'
import { requireNamedResources } from './named-resources.js'
import { createServiceFromTaskDefinitionWorkflow, createServiceWorkflow } from '../../workflows/service-create.js'
import { runOptions } from '../use-case-context.js'

type JsonObject = { [key: string]: JsonValue }

/** The account's network defaults and public-IP policy. */
export function accountNetwork(ctx: ServiceContext): AccountNetwork {
  const config = ctx.account.config
  return {
    subnets: config.defaultSubnets ?? [],
    securityGroups: config.defaultSgs ?? [],
    allowPublicIp: config.allowPublicIp === true,
  }
}

/**
 * The checks that need AWS but write nothing: the cluster is the org's (or free to create), no live
 * service of that name exists in it, an existing task definition is the space's and a new one's
 * family is free for this space's services, and named registries and target groups are the org's.
 * Answers the cluster found (for the cluster step, which then does not look again), the task
 * definition and the named registry (for the registry step, likewise).
 */
async function checkExisting(
  ctx: ServiceContext,
  plan: CreateServicePlan,
): Promise<{ cluster: Cluster | undefined; taskDefinition: TaskDefinition | undefined; registry: RegistryService | undefined }> {
  const name = plan.service.serviceName ?? ''
  // A cluster that must exist has its services looked up alongside it (its answer is read only once
  // the cluster proved the org's); one the request may create is not, so a new space costs no
  // DescribeServices on a missing cluster.
  const services = plan.cluster ? undefined : ctx.services.describe(plan.clusterName, [name])
  // Its rejection is rethrown where it is awaited; this keeps it from being unhandled meanwhile.
  services?.catch(() => undefined)
  const checks = await Promise.allSettled([
    plan.cluster ? findReusableCluster(ctx.ecs, plan.clusterName, ctx.org) : requireOrgCluster(ctx.ecs, plan.clusterName, ctx.org),
    plan.existingTaskDefinition ? requireSpaceRevision(ctx, plan.existingTaskDefinition, plan.clusterName) : Promise.resolve(undefined),
    // A new revision may only continue a family of this space's services.
    plan.taskDefinition
      ? assertFamilyFree(ctx.ecs, plan.taskDefinition.family ?? '', { org: ctx.org, cluster: plan.clusterName, flavor: 'service' })
      : Promise.resolve(),
    // Registries and target groups it names are the org's (and the space's).
    requireNamedResources(ctx, plan.clusterName, 'service', plan.service),
  ])
  // The cluster's answer first (a 404 for another org's), then the task definition's.
  for (const check of checks) if (check.status === 'rejected') throw check.reason
  const [clusterCheck, taskDefinitionCheck, , namedCheck] = checks
  const cluster = clusterCheck.status === 'fulfilled' ? clusterCheck.value : undefined
  const taskDefinition = taskDefinitionCheck.status === 'fulfilled' ? taskDefinitionCheck.value : undefined
  const registry = namedCheck.status === 'fulfilled' ? namedCheck.value : undefined
  if (cluster) {
    // AWS refuses a second live service of a name (moto would silently replace it): say so first.
    const same = await (services ?? ctx.services.describe(plan.clusterName, [name]))
    if (same.some((s) => s.status !== 'INACTIVE')) {
      throw new ConflictError(`service ${name} already exists in cluster ${plan.clusterName}`)
    }
  }
  return { cluster, taskDefinition, registry }
}

function response(parts: {
  cluster: Cluster
  credentials: RepositoryCredentials | undefined
  taskDefinition: TaskDefinition
  service: unknown
  registry: unknown
}): JsonObject {
  const results = parts.credentials?.results ?? {}
  return {
    Cluster: encode(Cluster$, parts.cluster),
    Credentials:
      Object.keys(results).length > 0
        ? Object.fromEntries(Object.entries(results).map(([k, v]) => [k, encode(CreateSecretResponse$, v)]))
        : null,
    TaskDefinition: encode(TaskDefinition$, parts.taskDefinition),
    Service: encode(Service$, parts.service),
    ServiceDiscoveryService: parts.registry ? encode(RegistryService$, parts.registry) : null,
  }
}

/**
 * Creates a service with everything it needs (spec: service create orchestration). The whole body
 * is validated and the existing resources checked before the first write; on a failure everything
 * this request created is rolled back and the error lists what was.
 */
export async function createService(ctx: ServiceContext, body: unknown): Promise<JsonObject> {
  const network = accountNetwork(ctx)
  const plan = parseCreateServiceBody(body, ctx.org, network)
  const space = spaceScope({
    account: ctx.account,
    org: ctx.org,
    clusterName: plan.clusterName,
    flavor: 'service',
    clientTags: plan.clientTags,
  })
  const checked = await checkExisting(ctx, plan)
  const existing = checked.taskDefinition

  const common = {
    ...space,
    cluster: plan.cluster,
    clusterLookup: { found: checked.cluster },
    discovery: ctx.discovery,
    // A named registry was looked up by the checks; the registry step takes that answer.
    registry: plan.registry.kind === 'existing' ? { ...plan.registry, service: checked.registry } : plan.registry,
    services: ctx.services,
    service: plan.service,
    network,
    clientToken: randomUUID(),
    // Compensations that fail are collected here and handed to a tracked operation.
    leftovers: [] as Leftover[],
  }
  // What the rollback of a failed run could not undo goes to a tracked operation the error names.
  const handOver = (err: unknown) => handOverLeftovers(ctx, common, err, { service: plan.service.serviceName })
  if (existing) {
    const run = await createServiceFromTaskDefinitionWorkflow
      .run({ ...common, existingTaskDefinition: existing }, runOptions(ctx))
      .catch(handOver)
    return response({
      cluster: run.outputOf(ensureCluster),
      credentials: undefined,
      taskDefinition: existing,
      service: run.outputs.get(CREATE_ECS_SERVICE_STEP),
      registry: run.outputOf(createServiceRegistryStep).service,
    })
  }
  // The parser guarantees one of the two; this keeps the type honest.
  if (!plan.taskDefinition) throw new InputError('taskDefinition is required')
  const run = await createServiceWorkflow
    .run({ ...common, taskDefinition: plan.taskDefinition, credentials: plan.credentials }, runOptions(ctx))
    .catch(handOver)
  return response({
    cluster: run.outputOf(ensureCluster),
    credentials: run.outputOf(createRepositoryCredentials),
    taskDefinition: run.outputOf(registerTaskDefinition).taskDefinition,
    service: run.outputs.get(CREATE_ECS_SERVICE_STEP),
    registry: run.outputOf(createServiceRegistryStep).service,
  })
}

import { randomUUID } from 'node:crypto'
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import { Cluster$, Service$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
import { CreateSecretResponse$ } from '../../aws/sdk/secrets-manager.js'
import { Service$ as RegistryService$ } from '../../aws/sdk/service-discovery.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { InputError } from '../../core/errors.js'
import { accountNetwork } from '../../core/service-network.js'
import type { Leftover } from '../../workflows/rollback-finish.js'
import { runServiceCreate, type ServiceCreated } from '../../workflows/service-create.js'
import { spaceScope } from '../../workflows/steps/space-scope.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { runOptions } from '../use-case-context.js'
import { exclusivelyInSpace } from '../space-lease.js'
import type { ServiceContext } from './context.js'
import { checkExisting } from './create-checks.js'
import { parseCreateServiceBody, type CreateServicePlan } from './create-input.js'

type JsonObject = { [key: string]: JsonValue }

/** The parser guarantees a new task definition or an existing one; this keeps the type honest. */
function newTaskDefinition(plan: CreateServicePlan): RegisterTaskDefinitionCommandInput {
  if (!plan.taskDefinition) throw new InputError('taskDefinition is required')
  return plan.taskDefinition
}

function response(created: ServiceCreated): JsonObject {
  const results = created.credentials?.results ?? {}
  return {
    Cluster: encode(Cluster$, created.cluster),
    Credentials:
      Object.keys(results).length > 0
        ? Object.fromEntries(Object.entries(results).map(([k, v]) => [k, encode(CreateSecretResponse$, v)]))
        : null,
    TaskDefinition: encode(TaskDefinition$, created.taskDefinition),
    Service: encode(Service$, created.service),
    ServiceDiscoveryService: created.registry ? encode(RegistryService$, created.registry) : null,
  }
}

/**
 * Creates a service with everything it needs (spec: service create orchestration). The whole body
 * is validated and the existing resources checked before the first write; on a failure everything
 * this request created is rolled back and the error lists what was.
 */
export async function createService(ctx: ServiceContext, body: unknown): Promise<JsonObject> {
  const network = accountNetwork(ctx.account.config)
  const plan = parseCreateServiceBody(body, ctx.org, network)
  const space = spaceScope({
    account: ctx.account,
    org: ctx.org,
    clusterName: plan.clusterName,
    flavor: 'service',
    clientTags: plan.clientTags,
  })
  // Checks and changes take turns with the space's other changes (see space-lease.ts).
  return exclusivelyInSpace(ctx, plan.clusterName, async () => {
    const checked = await checkExisting(ctx, plan, space)

    const common = {
      ...space,
      cluster: plan.cluster,
      clusterLookup: { found: checked.cluster },
      discovery: ctx.discovery,
      // A named registry was looked up by the checks; the registry step takes that answer.
      registry: plan.registry.kind === 'existing' ? { ...plan.registry, service: checked.registry } : plan.registry,
      services: ctx.services,
      service: plan.service,
      forService: plan.service.serviceName,
      network,
      // A retry with the same Idempotency-Key sends the same token, so AWS makes the service once.
      clientToken: ctx.clientToken ?? randomUUID(),
      // Compensations that fail are collected here and handed to a tracked operation.
      leftovers: [] as Leftover[],
    }
    const existing = checked.taskDefinition
    const created = await runServiceCreate(
      existing ? { ...common, existingTaskDefinition: existing } : { ...common, taskDefinition: newTaskDefinition(plan), credentials: plan.credentials },
      { ...runOptions(ctx), ...(checked.reads ? { reads: checked.reads } : {}) },
    ).catch((err: unknown) =>
      // What the rollback of a failed run could not undo goes to a tracked operation the error names.
      handOverLeftovers(ctx, common, err, { service: plan.service.serviceName }),
    )
    return response(created)
  })
}

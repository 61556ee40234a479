import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs'
import { Cluster$, Service$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
import { CreateSecretResponse$, PutSecretValueResponse$ } from '../../aws/sdk/secrets-manager.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { accountNetwork, checkGivenNetwork, serviceNetwork } from '../../core/service-network.js'
import type { RepositoryCredentials } from '../../workflows/steps/create-repository-credentials.js'
import { awslogsGroups } from '../../workflows/steps/tag-service-resources.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { planCredentialUpdate, withoutRepositoryCredentials, type CredentialsPlan } from '../../workflows/resources/credentials-update-plan.js'
import { logGroupArnsOf } from '../../workflows/resources/apply-tags.js'
import { retireSecrets } from '../../workflows/resources/retire-secrets.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { cleanedTags, fromEcsTags, toEcsTags, type Tag } from '../../core/tags.js'
import { assertFamilyFree } from '../taskdefs/family-check.js'
import type { ServiceContext } from './context.js'
import { checkOrgCluster, currentServiceRevision, findOrgService, requireSpaceRevision } from './find-service.js'
import { requireNamedResources } from './named-resources.js'
import { parseUpdateServiceBody, type UpdateServicePlan } from './update-input.js'
import { runServiceUpdate, type UpdateWithTaskDefinitionScope } from '../../workflows/service-update.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { checkDesiredCountInRange } from '../autoscaling/desired-count-range.js'
import { runOptions } from '../use-case-context.js'

type JsonObject = { [key: string]: JsonValue }

/**
 * The UpdateService input: the client's parameters with the network rebuilt (no public IP unless the
 * account allows it; subnets and security groups given, from the account's, or kept), and a redeploy
 * when asked for or when the capacity provider strategy changes.
 */
export function serviceUpdateInput(ctx: ServiceContext, plan: UpdateServicePlan, current: Service): UpdateServiceCommandInput {
  const given: Partial<UpdateServiceCommandInput> = plan.service ?? {}
  const input: UpdateServiceCommandInput = { ...given, service: current.serviceArn, cluster: current.clusterArn }
  if (given.networkConfiguration?.awsvpcConfiguration) {
    const now = current.networkConfiguration?.awsvpcConfiguration
    const account = accountNetwork(ctx.account.config)
    input.networkConfiguration = serviceNetwork(given.networkConfiguration, {
      ...account,
      subnets: now?.subnets ?? [],
      securityGroups: now?.securityGroups ?? [],
    })
    checkGivenNetwork('service.networkConfiguration.awsvpcConfiguration', given.networkConfiguration.awsvpcConfiguration, account)
  }
  if (plan.forceNewDeployment || (given.capacityProviderStrategy?.length ?? 0) > 0) input.forceNewDeployment = true
  return input
}

function credentialsJson(creds: RepositoryCredentials | undefined): JsonObject | null {
  if (!creds) return null
  return Object.fromEntries(
    Object.entries(creds.results).map(([container, result]) => [
      container,
      encode('VersionStages' in result ? PutSecretValueResponse$ : CreateSecretResponse$, result),
    ]),
  )
}

/** The service's tags after TagResource put `tags` on it: those overwrite, the others stay. */
function taggedService(service: Service, tags: readonly Tag[] | undefined): Service {
  if (!tags) return service
  const given = toEcsTags(tags)
  const keys = new Set(given.map((t) => t.key))
  return { ...service, tags: [...given, ...(service.tags ?? []).filter((t) => !keys.has(t.key ?? ''))] }
}

/**
 * Updates a service (spec: service update orchestration, fixed): everything is validated and the
 * credentials planned before the first write; the new secrets and revision exist before the service
 * moves to them; a failure rolls back what this request did and leaves the service on its old task
 * definition and secrets; secrets no longer used are deleted only after success.
 */
export async function updateService(ctx: ServiceContext, clusterName: string, name: string, body: unknown): Promise<JsonObject> {
  // Takes turns with the space's other changes (see space-lease.ts).
  return exclusivelyInSpace(ctx, clusterName, () => update(ctx, clusterName, name, body))
}

async function update(ctx: ServiceContext, clusterName: string, name: string, body: unknown): Promise<JsonObject> {
  const [clusterObject, current] = await Promise.all([
    checkOrgCluster(ctx, clusterName),
    findOrgService(ctx, clusterName, name),
  ])
  const currentTaskDefinition = await currentServiceRevision(ctx, current.taskDefinition ?? '')
  const plan = parseUpdateServiceBody(body, { org: ctx.org, clusterName, current: currentTaskDefinition })
  const tags = cleanedTags(plan.tags ?? fromEcsTags(current.tags), ctx.org, clusterName, 'service')
  const prefix = credentialSecretPrefix(ctx.org, clusterName)
  const credentialsPlan: CredentialsPlan | undefined = plan.taskDefinition
    ? planCredentialUpdate(currentTaskDefinition.containerDefinitions ?? [], plan.taskDefinition.containerDefinitions ?? [], plan.credentials, prefix)
    : undefined
  // Before any write: a revision named for the service to run is the space's; a new one's family
  // (the service's own) is still this space's.
  await Promise.all([
    plan.service?.taskDefinition !== undefined ? requireSpaceRevision(ctx, plan.service.taskDefinition, clusterName) : undefined,
    // Another family must be new, or a services' family of this space (not a managed task definition's).
    plan.taskDefinition
      ? assertFamilyFree(ctx.ecs, plan.taskDefinition.family ?? '', {
          org: ctx.org,
          cluster: clusterName,
          flavor: plan.familyChanged ? 'service' : undefined,
        })
      : undefined,
    // Registries and target groups it names are the org's (and the space's).
    requireNamedResources(ctx, clusterName, 'service', plan.service),
    // A count it sets lies in the service's autoscaling range.
    checkDesiredCountInRange(ctx, clusterName, current, plan.service?.desiredCount),
  ])
  const update = serviceUpdateInput(ctx, plan, current)

  const scope: UpdateWithTaskDefinitionScope = {
    account: ctx.account,
    org: ctx.org,
    clusterName,
    flavor: 'service',
    tags,
    clusterObject,
    current,
    currentTaskDefinition,
    services: ctx.services,
    update,
    taskDefinition: {
      ...(plan.taskDefinition ?? { family: currentTaskDefinition.family ?? '', containerDefinitions: [] }),
      containerDefinitions: withoutRepositoryCredentials(plan.taskDefinition?.containerDefinitions ?? []),
    },
    forService: current.serviceName ?? name,
    credentialsPlan: credentialsPlan ?? { prefix, actions: [], retire: [] },
    // Compensations that fail are collected here and handed to a tracked operation.
    leftovers: [],
  }
  const parts = {
    newTaskDefinition: plan.taskDefinition !== undefined,
    updateService: plan.taskDefinition !== undefined || plan.service !== undefined || plan.forceNewDeployment,
    tag: plan.tags !== undefined,
  }
  const done = await runServiceUpdate(parts, scope, runOptions(ctx))
    // What the rollback could not undo goes to a tracked operation that the error names.
    .catch((err: unknown) => handOverLeftovers(ctx, scope, err, { service: current.serviceName ?? name }))
  // The tag step re-tagged the cluster with the org's tag (`cleanedTags` always puts it), the one tag
  // the cluster memory keeps: what it remembers is written anew rather than forgotten, so the space's
  // lists meanwhile and afterwards need not check the cluster again.
  if (parts.tag) ctx.clusterOrgs?.remember({ ...clusterObject, tags: toEcsTags(tags) }, ctx.org)
  const { taskDefinition } = done
  const [notDeleted, logGroups] = await Promise.all([
    // Only now that the service runs the new revision: secrets it no longer uses can go.
    credentialsPlan ? retireSecrets(ctx.account, ctx.org, prefix, credentialsPlan.retire) : [],
    // The log groups: those the tag step tagged, else those of the revision (the one a new
    // revision's step ensured is not looked up again).
    done.taggedLogGroups ?? logGroupArnsOf(ctx.account, awslogsGroups(taskDefinition), done.ensuredLogGroups),
  ])
  // The service as UpdateService answered (it answers no tags: they are the ones it had, with the
  // request's put on them).
  const updated = taggedService(done.service ? { ...done.service, tags: current.tags ?? [] } : current, parts.tag ? tags : undefined)
  return {
    Cluster: encode(Cluster$, clusterObject),
    Service: encode(Service$, updated),
    TaskDefinition: encode(TaskDefinition$, taskDefinition),
    Credentials: credentialsJson(done.credentials),
    CloudwatchLogGroups: logGroups,
    Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    ...(notDeleted.length > 0 ? { CredentialsNotDeleted: notDeleted } : {}),
  }
}

import { checkDesiredCountInRange } from '../autoscaling/desired-count-range.js'
import type { Service } from '@aws-sdk/client-ecs'
import { requireOrgCluster } from '../../core/clusters.js'
import type { NamedPolicy } from '../../core/iam-policy-evaluation.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { cleanedTags, fromEcsTags } from '../../core/tags.js'
import { planCredentialUpdate, withoutRepositoryCredentials } from '../../workflows/resources/credentials-update-plan.js'
import type { ImageChecker } from '../images/check-image.js'
import type { ServiceContext } from '../services/context.js'
import { findOrgService, requireSpaceRevision, serviceTaskDefinition } from '../services/find-service.js'
import { requireNamedResources } from '../services/named-resources.js'
import { parseUpdateServiceBody } from '../services/update-input.js'
import { serviceUpdateInput } from '../services/update-service.js'
import { assertFamilyFree } from '../taskdefs/family-check.js'
import { runChecks } from '../../workflows/preflight/run-checks.js'
import { comparableService, objectChange } from '../../workflows/plan/object-changes.js'
import { anyChange, type Plan, type PlanStep } from '../../core/plan/plan-types.js'
import { credentialUpdateSteps, liveRolePolicies, newCredentialValues, planExecutionRole, planLogGroup } from '../../workflows/plan/space-steps.js'
import { newRevisionArn, planTaskDefinition, type TaskDefinitionPlan } from '../../workflows/plan/task-definition-plan.js'

export interface PlanOptions {
  /** Add the preflight checks to the plan. */
  verify: boolean
  images: ImageChecker
}

/** Tags as a comparable set. */
const tagText = (tags: readonly { Key: string; Value: string }[]) => JSON.stringify([...tags].map((t) => `${t.Key}=${t.Value}`).sort())

/**
 * PUT /services/{service}?dryRun=true: everything the update reads and refuses, in the same order
 * and with the same answers (the same functions), then what it would do instead of doing it.
 */
export async function planServiceUpdate(ctx: ServiceContext, clusterName: string, name: string, body: unknown, options: PlanOptions): Promise<Plan> {
  const [, current] = await Promise.all([requireOrgCluster(ctx.ecs, clusterName, ctx.org), findOrgService(ctx, clusterName, name)])
  const currentTaskDefinition = await serviceTaskDefinition(ctx, current.taskDefinition ?? '')
  const plan = parseUpdateServiceBody(body, { org: ctx.org, clusterName, current: currentTaskDefinition })
  const tags = cleanedTags(plan.tags ?? fromEcsTags(current.tags), ctx.org, clusterName, 'service')
  const prefix = credentialSecretPrefix(ctx.org, clusterName)
  const credentialsPlan = plan.taskDefinition
    ? planCredentialUpdate(currentTaskDefinition.containerDefinitions ?? [], plan.taskDefinition.containerDefinitions ?? [], plan.credentials, prefix)
    : undefined
  const [named] = await Promise.all([
    plan.service?.taskDefinition !== undefined ? requireSpaceRevision(ctx, plan.service.taskDefinition, clusterName) : undefined,
    plan.taskDefinition
      ? assertFamilyFree(ctx.ecs, plan.taskDefinition.family ?? '', { org: ctx.org, cluster: clusterName, flavor: plan.familyChanged ? 'service' : undefined })
      : undefined,
    requireNamedResources(ctx, clusterName, 'service', plan.service),
    checkDesiredCountInRange(ctx, clusterName, current, plan.service?.desiredCount),
  ])
  const update = serviceUpdateInput(ctx, plan, current)

  const steps: PlanStep[] = []
  let revision: TaskDefinitionPlan | undefined
  let policiesAfter: (() => Promise<NamedPolicy[] | undefined>) | undefined
  if (plan.taskDefinition && credentialsPlan) {
    const [role, logGroup] = await Promise.all([planExecutionRole(ctx.account, ctx.org, clusterName), planLogGroup(ctx.account, clusterName)])
    const credentials = credentialUpdateSteps(credentialsPlan, ctx.account)
    revision = planTaskDefinition({
      account: ctx.account,
      org: ctx.org,
      clusterName,
      flavor: 'service',
      tags,
      forService: current.serviceName ?? name,
      taskDefinition: { ...plan.taskDefinition, containerDefinitions: withoutRepositoryCredentials(plan.taskDefinition.containerDefinitions ?? []) },
      roleArn: role.roleArn,
      credentialArns: credentials.arns,
      live: currentTaskDefinition,
    })
    steps.push(role.step, logGroup, ...credentials.steps.filter((s) => s.Step !== 'retire-secrets'), revision.step)
    steps.push(...credentials.steps.filter((s) => s.Step === 'retire-secrets'))
    policiesAfter = role.policiesAfter
  }

  // The service as it would be: the update's parameters over what runs, on the new revision when one differs.
  const { service: _service, cluster: _cluster, forceNewDeployment, ...parameters } = update
  const taskDefinition = revision?.differs
    ? newRevisionArn(currentTaskDefinition.taskDefinitionArn, revision.input.family ?? '')
    : // A revision named in any spelling (family, family:revision, ARN) is compared by its ARN.
      (named?.taskDefinitionArn ?? parameters.taskDefinition ?? current.taskDefinition)
  const planned: Service = { ...current, ...parameters, taskDefinition }
  const serviceChange = objectChange('Service.json', comparableService(current), comparableService(planned))
  const arn = current.serviceArn ?? name
  const updateService = plan.taskDefinition !== undefined || plan.service !== undefined || plan.forceNewDeployment
  if (!updateService) steps.push({ Step: 'update-ecs-service', Action: 'skip', Resource: arn, Detail: 'nothing asked of the service' })
  else if (serviceChange.Patch.length > 0) steps.push({ Step: 'update-ecs-service', Action: 'update', Resource: arn })
  else if (forceNewDeployment) steps.push({ Step: 'update-ecs-service', Action: 'update', Resource: arn, Detail: 'a new deployment is forced' })
  else steps.push({ Step: 'update-ecs-service', Action: 'skip', Resource: arn, Detail: 'the service would stay as it is' })

  if (plan.tags === undefined) steps.push({ Step: 'tag-service-resources', Action: 'skip', Resource: arn, Detail: 'no tags given' })
  else {
    const same = tagText(tags) === tagText(cleanedTags(fromEcsTags(current.tags), ctx.org, clusterName, 'service'))
    steps.push({ Step: 'tag-service-resources', Action: same ? 'reuse' : 'update', Resource: arn, ...(same ? { Detail: 'the service has these tags' } : {}) })
  }

  const result: Plan = {
    Changed: anyChange(steps),
    Steps: steps,
    Changes: { ...(revision ? { TaskDefinition: revision.change } : {}), Service: serviceChange },
  }
  if (options.verify) {
    const td = revision?.input ?? currentTaskDefinition
    result.Checks = await runChecks(
      {
        clusterName,
        taskDefinition: td,
        service: { networkConfiguration: planned.networkConfiguration, loadBalancers: planned.loadBalancers },
        rolePolicies: policiesAfter ?? (() => liveRolePolicies(ctx.account, currentTaskDefinition.executionRoleArn)),
        newCredentials: credentialsPlan ? newCredentialValues(credentialsPlan) : {},
        logGroupsCreated: revision && steps.some((s) => s.Step === 'ensure-log-group' && s.Action === 'create') ? new Set([clusterName]) : new Set(),
      },
      { account: ctx.account, org: ctx.org, images: options.images },
    )
  }
  return result
}

import type { Service } from '@aws-sdk/client-ecs'
import { accountNetwork } from '../../core/service-network.js'
import { createServiceInput } from '../../workflows/steps/create-ecs-service.js'
import { credentialSecretName } from '../../workflows/steps/create-repository-credentials.js'
import { spaceScope } from '../../workflows/steps/space-scope.js'
import type { ServiceContext } from '../services/context.js'
import { checkExisting } from '../services/create-checks.js'
import { parseCreateServiceBody } from '../services/create-input.js'
import { runChecks } from '../../workflows/preflight/run-checks.js'
import type { NewCredential } from '../../workflows/preflight/check-subject.js'
import { comparableService, objectChange } from '../../workflows/plan/object-changes.js'
import { anyChange, type Plan, type PlanStep } from '../../core/plan/plan-types.js'
import type { PlanOptions } from './plan-service-update.js'
import { clusterStep, liveRolePolicies, newCredentialSteps, newSecretArn, planExecutionRole, planLogGroup, type RolePlan as PlanRole } from '../../workflows/plan/space-steps.js'
import { newRevisionArn, planTaskDefinition, type TaskDefinitionPlan } from '../../workflows/plan/task-definition-plan.js'

/**
 * POST /services?dryRun=true: the create's decoding, validation and checks (the same functions, so
 * the same refusals), then what each step would do.
 */
export async function planServiceCreate(ctx: ServiceContext, body: unknown, options: PlanOptions): Promise<Plan> {
  const network = accountNetwork(ctx.account.config)
  const plan = parseCreateServiceBody(body, ctx.org, network)
  const space = spaceScope({ account: ctx.account, org: ctx.org, clusterName: plan.clusterName, flavor: 'service', clientTags: plan.clientTags })
  const checked = await checkExisting(ctx, plan)
  const serviceName = plan.service.serviceName ?? ''

  const steps: PlanStep[] = [clusterStep(plan.clusterName, checked.cluster)]
  let revision: TaskDefinitionPlan | undefined
  let liveArn: string | undefined
  let policiesAfter: PlanRole['policiesAfter'] | undefined
  const newCredentials: Record<string, NewCredential> = {}
  if (plan.taskDefinition) {
    const family = plan.taskDefinition.family ?? ''
    const [role, logGroup, latest] = await Promise.all([
      planExecutionRole(ctx.account, ctx.org, plan.clusterName),
      planLogGroup(ctx.account, plan.clusterName),
      // What the family runs now, if it has revisions in this space (the family check let it through).
      ctx.ecs.describeTaskDefinition(family),
    ])
    const names: Record<string, string> = {}
    const arns: Record<string, string> = {}
    for (const [container, entry] of Object.entries(plan.credentials)) {
      const name = credentialSecretName(space, container, entry)
      names[container] = name
      arns[container] = newSecretArn(ctx.account, name)
      newCredentials[container] = { name, SecretString: entry.SecretString, SecretBinary: entry.SecretBinary }
    }
    const live = latest?.taskDefinition.status === 'ACTIVE' ? latest.taskDefinition : undefined
    liveArn = live?.taskDefinitionArn
    revision = planTaskDefinition({
      ...space,
      forService: serviceName,
      taskDefinition: plan.taskDefinition,
      roleArn: role.roleArn,
      credentialArns: arns,
      live,
    })
    steps.push(role.step, logGroup, ...newCredentialSteps(names))
    policiesAfter = role.policiesAfter
  }
  const registry = plan.registry
  if (registry.kind === 'none') steps.push({ Step: 'create-service-registry', Action: 'skip', Resource: serviceName, Detail: 'no Cloud Map registration asked for' })
  else if (registry.kind === 'existing') steps.push({ Step: 'create-service-registry', Action: 'reuse', Resource: registry.arn })
  else steps.push({ Step: 'create-service-registry', Action: 'create', Resource: registry.input.Name ?? serviceName })
  if (revision) steps.push(revision.step)
  else steps.push({ Step: 'register-task-definition', Action: 'reuse', Resource: checked.taskDefinition?.taskDefinitionArn ?? plan.existingTaskDefinition ?? '' })

  const taskDefinition = revision
    ? revision.differs
      ? newRevisionArn(liveArn, revision.input.family ?? '')
      : revision.step.Resource
    : (checked.taskDefinition?.taskDefinitionArn ?? '')
  const registryArn = registry.kind === 'existing' ? registry.arn : registry.kind === 'create' ? `(new registry ${registry.input.Name ?? ''})` : undefined
  const input = createServiceInput(
    { services: ctx.services, service: plan.service, network, tags: space.tags, clientToken: '(new)' },
    plan.clusterName,
    taskDefinition,
    registryArn,
  )
  const { cluster: _cluster, clientToken: _token, tags: _tags, ...members } = input
  const planned: Service = members
  const serviceChange = objectChange('Service.json', {}, comparableService(planned))
  steps.push({ Step: 'create-ecs-service', Action: 'create', Resource: serviceName })

  const result: Plan = {
    Changed: anyChange(steps),
    Steps: steps,
    Changes: { ...(revision ? { TaskDefinition: revision.change } : {}), Service: serviceChange },
  }
  if (options.verify) {
    const td = revision?.input ?? checked.taskDefinition ?? {}
    result.Checks = await runChecks(
      {
        clusterName: plan.clusterName,
        taskDefinition: td,
        service: { networkConfiguration: input.networkConfiguration, loadBalancers: input.loadBalancers },
        rolePolicies: policiesAfter ?? (() => liveRolePolicies(ctx.account, checked.taskDefinition?.executionRoleArn)),
        newCredentials,
        logGroupsCreated: steps.some((s) => s.Step === 'ensure-log-group' && s.Action === 'create') ? new Set([plan.clusterName]) : new Set(),
      },
      { account: ctx.account, org: ctx.org, images: options.images },
    )
  }
  return result
}

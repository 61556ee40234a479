import { findReusableCluster } from '../../core/clusters.js'
import { credentialSecretName } from '../../workflows/steps/create-repository-credentials.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { readBody } from '../taskdefs/create-task-definition.js'
import { assertFamilyFree } from '../taskdefs/family-check.js'
import type { NewCredential } from '../../workflows/preflight/check-subject.js'
import { runChecks } from '../../workflows/preflight/run-checks.js'
import { anyChange, type Plan } from '../../core/plan/plan-types.js'
import type { PlanOptions } from './plan-service-update.js'
import { clusterStep, newCredentialSteps, newSecretArn, planExecutionRole, planLogGroup } from '../../workflows/plan/space-steps.js'
import { planTaskDefinition } from '../../workflows/plan/task-definition-plan.js'

/** POST /taskdefs?dryRun=true: the create's reading, validation and checks, then what each step would do. */
export async function planTaskDefinitionCreate(ctx: TaskDefContext, body: unknown, options: PlanOptions): Promise<Plan> {
  const request = readBody(ctx, body)
  const family = request.taskDefinition.family ?? ''
  const checks = await Promise.allSettled([
    findReusableCluster(ctx.ecs, request.clusterName, ctx.org),
    assertFamilyFree(ctx.ecs, family, { org: ctx.org, cluster: request.clusterName, flavor: 'task' }),
  ])
  for (const check of checks) if (check.status === 'rejected') throw check.reason
  const [clusterCheck] = checks
  const cluster = clusterCheck.status === 'fulfilled' ? clusterCheck.value : undefined

  const [role, logGroup, latest] = await Promise.all([
    planExecutionRole(ctx.account, ctx.org, request.clusterName),
    planLogGroup(ctx.account, request.clusterName),
    ctx.ecs.describeTaskDefinition(family),
  ])
  const names: Record<string, string> = {}
  const arns: Record<string, string> = {}
  const newCredentials: Record<string, NewCredential> = {}
  for (const [container, entry] of Object.entries(request.credentials ?? {})) {
    const name = credentialSecretName(request, container, entry)
    names[container] = name
    arns[container] = newSecretArn(ctx.account, name)
    newCredentials[container] = { name, SecretString: entry.SecretString, SecretBinary: entry.SecretBinary }
  }
  const revision = planTaskDefinition({
    ...request,
    roleArn: role.roleArn,
    credentialArns: arns,
    live: latest?.taskDefinition.status === 'ACTIVE' ? latest.taskDefinition : undefined,
  })
  const steps = [clusterStep(request.clusterName, cluster), role.step, logGroup, ...newCredentialSteps(names), revision.step]
  const plan: Plan = { Changed: anyChange(steps), Steps: steps, Changes: { TaskDefinition: revision.change } }
  if (options.verify) {
    plan.Checks = await runChecks(
      {
        clusterName: request.clusterName,
        taskDefinition: revision.input,
        rolePolicies: role.policiesAfter,
        newCredentials,
        logGroupsCreated: logGroup.Action === 'create' ? new Set([request.clusterName]) : new Set(),
      },
      { account: ctx.account, org: ctx.org, images: options.images },
    )
  }
  return plan
}

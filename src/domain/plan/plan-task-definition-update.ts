import { decode } from '../../codec/index.js'
import { requireOrgCluster } from '../../core/clusters.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { fromEcsTags, type Tag } from '../../core/tags.js'
import { planCredentialUpdate, withoutRepositoryCredentials } from '../../workflows/resources/credentials-update-plan.js'
import { TaskDefUpdateBody } from '../taskdefs/bodies.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import { requireOrgTaskDefinition } from '../taskdefs/org-task-definition.js'
import { parseTaskDefinitionRef } from '../../core/task-definition-ref.js'
import { checkBody, newDefinition } from '../taskdefs/update-task-definition.js'
import { runChecks } from '../../workflows/preflight/run-checks.js'
import { anyChange, type Plan, type PlanStep } from '../../core/plan/plan-types.js'
import type { PlanOptions } from './plan-service-update.js'
import { credentialUpdateSteps, liveRolePolicies, newCredentialValues, planExecutionRole, planLogGroup } from '../../workflows/plan/space-steps.js'
import { planTaskDefinition } from '../../workflows/plan/task-definition-plan.js'

const tagText = (tags: readonly Tag[]) => JSON.stringify(tags.map((t) => `${t.Key}=${t.Value}`).sort())

/** PUT /taskdefs/{taskdef}?dryRun=true: the update's reading, validation and checks, then what each step would do. */
export async function planTaskDefinitionUpdate(ctx: TaskDefContext, cluster: string, taskdef: string, body: unknown, options: PlanOptions): Promise<Plan> {
  const ref = parseTaskDefinitionRef(taskdef)
  const prefix = credentialSecretPrefix(ctx.org, cluster)
  const { value } = decode(TaskDefUpdateBody, body)
  const givenTags = checkBody(ctx, cluster, value)
  const [, current] = await Promise.all([requireOrgCluster(ctx.ecs, cluster, ctx.org), requireOrgTaskDefinition(ctx.ecs, ref, ctx.org, cluster)])
  const definition = newDefinition(value, current.taskDefinition, prefix)
  const tags: Tag[] = givenTags ?? fromEcsTags(current.tags)
  const tagsSame = tagText(tags) === tagText(fromEcsTags(current.tags))
  const tagStep: PlanStep = { Step: 'apply-tags', Action: tagsSame ? 'reuse' : 'update', Resource: current.taskDefinition.taskDefinitionArn ?? taskdef }

  if (!definition) {
    const steps = [{ ...tagStep, Detail: 're-applies the tags to the space and its revision' }]
    const plan: Plan = { Changed: anyChange(steps), Steps: steps, Changes: {} }
    // Nothing new to register: the checks look at the revision that stays.
    if (options.verify) {
      plan.Checks = await runChecks(
        {
          clusterName: cluster,
          taskDefinition: current.taskDefinition,
          rolePolicies: () => liveRolePolicies(ctx.account, current.taskDefinition.executionRoleArn),
          newCredentials: {},
          logGroupsCreated: new Set(),
        },
        { account: ctx.account, org: ctx.org, images: options.images },
      )
    }
    return plan
  }
  const containers = definition.containerDefinitions ?? []
  const credentialsPlan = planCredentialUpdate(current.taskDefinition.containerDefinitions ?? [], containers, value.credentials, prefix)
  const [role, logGroup] = await Promise.all([planExecutionRole(ctx.account, ctx.org, cluster), planLogGroup(ctx.account, cluster)])
  const credentials = credentialUpdateSteps(credentialsPlan, ctx.account)
  const revision = planTaskDefinition({
    account: ctx.account,
    org: ctx.org,
    clusterName: cluster,
    flavor: 'task',
    tags,
    taskDefinition: { ...definition, containerDefinitions: withoutRepositoryCredentials(containers) },
    roleArn: role.roleArn,
    credentialArns: credentials.arns,
    live: current.taskDefinition,
  })
  const steps: PlanStep[] = [
    role.step,
    logGroup,
    ...credentials.steps.filter((s) => s.Step !== 'retire-secrets'),
    revision.step,
    tagStep,
    ...credentials.steps.filter((s) => s.Step === 'retire-secrets'),
  ]
  const plan: Plan = { Changed: anyChange(steps), Steps: steps, Changes: { TaskDefinition: revision.change } }
  if (options.verify) {
    plan.Checks = await runChecks(
      {
        clusterName: cluster,
        taskDefinition: revision.input,
        rolePolicies: role.policiesAfter,
        newCredentials: newCredentialValues(credentialsPlan),
        logGroupsCreated: logGroup.Action === 'create' ? new Set([cluster]) : new Set(),
      },
      { account: ctx.account, org: ctx.org, images: options.images },
    )
  }
  return plan
}

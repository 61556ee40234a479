/**
 * The autoscaling workflows of a service. Applying a setting: the scalable target's range first,
 * then the policies and scheduled actions asked for (side by side), then the removal of those the
 * setting no longer has. Removing the setting: policies and scheduled actions, then the target.
 * A failure at any step puts back what the service had; what that rollback cannot undo is remembered
 * in `leftovers` for a tracked operation to finish.
 */
import { defineWorkflow, type RunOptions, type Step, type Workflow } from './engine.js'
import { rememberingLeftovers, type LeftoverScope } from './rollback-finish.js'
import type { AutoscalingScope } from './steps/autoscaling-scope.js'
import { deregisterScalableTargetStep } from './steps/deregister-scalable-target.js'
import { putScalingPoliciesStep } from './steps/put-scaling-policies.js'
import { putScheduledActionsStep } from './steps/put-scheduled-actions.js'
import { registerScalableTargetStep } from './steps/register-scalable-target.js'
import { removeScalingPoliciesStep } from './steps/remove-scaling-policies.js'
import { removeScheduledActionsStep } from './steps/remove-scheduled-actions.js'

export const APPLY_AUTOSCALING_WORKFLOW = 'apply-autoscaling'
export const REMOVE_AUTOSCALING_WORKFLOW = 'remove-autoscaling'

export interface AutoscalingRunScope extends AutoscalingScope, LeftoverScope {
  /** The space, for a tracked operation that finishes the rollback. */
  readonly clusterName: string
}

type AnyStep = Step<unknown, unknown, AutoscalingRunScope>

function applyWorkflow(): Workflow<AutoscalingRunScope> {
  const target = registerScalableTargetStep()
  const policies = putScalingPoliciesStep([target])
  const actions = putScheduledActionsStep([target])
  // Removals last: a failure while putting leaves nothing removed to put back.
  const steps = [target, policies, actions, removeScalingPoliciesStep([policies, actions]), removeScheduledActionsStep([policies, actions])]
  return defineWorkflow<AutoscalingRunScope>(APPLY_AUTOSCALING_WORKFLOW, rememberingLeftovers(steps as AnyStep[]))
}

function removeWorkflow(): Workflow<AutoscalingRunScope> {
  const policies = removeScalingPoliciesStep()
  const actions = removeScheduledActionsStep()
  const steps = [policies, actions, deregisterScalableTargetStep([policies, actions])]
  return defineWorkflow<AutoscalingRunScope>(REMOVE_AUTOSCALING_WORKFLOW, rememberingLeftovers(steps as AnyStep[]))
}

const apply = applyWorkflow()
const remove = removeWorkflow()

/** Makes AWS hold `scope.after`; throws `WorkflowFailedError` after the rollback when a step fails. */
export async function runAutoscalingApply(scope: AutoscalingRunScope, options: RunOptions): Promise<void> {
  await apply.run(scope, options)
}

/** Removes the setting of `scope.before`; throws `WorkflowFailedError` after the rollback when a step fails. */
export async function runAutoscalingRemoval(scope: AutoscalingRunScope, options: RunOptions): Promise<void> {
  await remove.run(scope, options)
}

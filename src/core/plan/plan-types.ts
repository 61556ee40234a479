import type { Operation } from 'fast-json-patch/commonjs/core.js'

/**
 * The wire shapes of a plan (dry run) and of preflight checks, PascalCase like every answer.
 */

/** What a step of the workflow would do to its resource. */
export type StepAction = 'create' | 'reuse' | 'update' | 'skip'

export interface PlanStep {
  /** The workflow step's id, e.g. `ensure-cluster`, `register-task-definition`. */
  Step: string
  Action: StepAction
  /** The resource the step names: an ARN when it exists, else its name. */
  Resource: string
  /** Why, when the action alone does not say it. */
  Detail?: string
}

/** One object's change: RFC 6902 JSON Patch from the live object to the one that would be sent, and a unified diff. */
export interface ObjectChange {
  Patch: Operation[]
  Diff: string
}

export type CheckStatus = 'pass' | 'fail' | 'skipped'

export interface CheckResult {
  /** The kind of check: image, secret, repository-credentials, network, load-balancer, log-group, task-size. */
  Check: string
  Status: CheckStatus
  /** What was checked (an image reference, an ARN, a subnet id...). */
  Resource: string
  /** The request field it comes from, e.g. `taskDefinition.containerDefinitions[0].image`. */
  Field: string
  /** Why it failed or was skipped; for a pass, what was found. */
  Reason?: string
}

export interface Plan {
  /** Whether the call would change anything (a step that creates or updates a resource). */
  Changed: boolean
  Steps: PlanStep[]
  Changes: { TaskDefinition?: ObjectChange; Service?: ObjectChange }
  /** Present with `verify=true`. */
  Checks?: CheckResult[]
}

/** Whether any step would create or update something. */
export function anyChange(steps: readonly PlanStep[]): boolean {
  return steps.some((s) => s.Action === 'create' || s.Action === 'update')
}

/**
 * An operation's steps as a dependency graph for the workflow engine: listed order unless a step
 * says what it depends on.
 */
import { defineStep, defineWorkflow } from '../workflows/engine.js'
import type { OperationKind, OperationStep } from './kinds.js'

export interface PlannedStep {
  readonly step: OperationStep<unknown>
  readonly dependsOn: readonly string[]
}

/**
 * The kind's steps for `input` with their dependencies. Throws `WorkflowDefinitionError` for a wrong
 * graph (duplicate id, unknown dependency, cycle), so `start` refuses it before anything is stored.
 */
export function planOperation(kind: OperationKind<unknown>, input: unknown): PlannedStep[] {
  const steps = kind.steps(input)
  const planned = steps.map((step, i) => ({
    step,
    dependsOn: step.dependsOn ?? (i > 0 ? [steps[i - 1]!.id] : []),
  }))
  defineWorkflow(
    `operation ${kind.name}`,
    planned.map((p) =>
      defineStep({ id: p.step.id, dependsOn: p.dependsOn, noCompensation: true, invoke: async () => ({ output: undefined }) }),
    ),
  )
  return planned
}

/** Every step's transitive dependencies: the steps whose output it may read. */
export function ancestorsOf(plan: readonly PlannedStep[]): Map<string, Set<string>> {
  const direct = new Map(plan.map((p) => [p.step.id, p.dependsOn]))
  const memo = new Map<string, Set<string>>()
  // The graph was checked for cycles by planOperation, so this recursion ends.
  const visit = (id: string): Set<string> => {
    let found = memo.get(id)
    if (found) return found
    found = new Set<string>()
    for (const dep of direct.get(id) ?? []) {
      found.add(dep)
      for (const above of visit(dep)) found.add(above)
    }
    memo.set(id, found)
    return found
  }
  for (const p of plan) visit(p.step.id)
  return memo
}

import type { RunOptions, WorkflowHooks } from '../../workflows/engine.js'

/**
 * Observers added to every task-definition workflow run (create and update). Production leaves them
 * unset; tests set `hooks` to fail a chosen step (a throwing `onStepStart` fails it before it acts, a
 * throwing `onStepSuccess` after its work, which the engine still undoes): failures moto cannot produce.
 */
export const taskDefWorkflowObservers: { hooks?: WorkflowHooks | undefined } = {}

export function taskDefRunOptions(): RunOptions {
  return taskDefWorkflowObservers.hooks ? { hooks: taskDefWorkflowObservers.hooks } : {}
}

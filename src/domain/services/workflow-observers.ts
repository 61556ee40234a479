import type { RunOptions, WorkflowHooks } from '../../workflows/engine.js'

/**
 * Observers added to every service workflow run (create and update). Production leaves them unset;
 * tests set `hooks` to fail a chosen step after it has done its work (a throwing `onStepSuccess`
 * fails that step and the engine still undoes it), which reaches failures moto cannot produce.
 */
export const serviceWorkflowObservers: { hooks?: WorkflowHooks | undefined } = {}

export function workflowRunOptions(): RunOptions {
  return serviceWorkflowObservers.hooks ? { hooks: serviceWorkflowObservers.hooks } : {}
}

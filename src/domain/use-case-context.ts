import type { FastifyBaseLogger } from 'fastify'
import type { Account } from '../aws/account-clients.js'
import type { ClusterOrgMemory } from '../core/clusters.js'
import type { MadeHereMemory } from '../core/made-here.js'
import type { ExistingResources } from '../core/existing-resources.js'
import type { RevisionMemory } from '../core/revision-memory.js'
import type { TaskDefinition } from '@aws-sdk/client-ecs'
import type { OperationTarget, OperationView, Operations } from '../operations/index.js'
import type { RunOptions, WorkflowHooks } from '../workflows/engine.js'

/**
 * What every use case is given by its route: the account of the path, the org this process serves,
 * the request's logger and id, and the tracked operations for work that outlives the request.
 */
export interface UseCaseContext {
  readonly account: Account
  readonly org: string
  /** The request's logger, for what must not fail a request but must not go unnoticed. */
  readonly log?: FastifyBaseLogger | undefined
  /** Absent only where a use case runs outside the app (some tests): nothing can be handed over. */
  readonly operations?: Operations | undefined
  readonly requestId?: string | undefined
  /** Observers of every workflow run (see `BuildAppOptions.workflowHooks`). */
  readonly workflowHooks?: WorkflowHooks | undefined
  /** Derived from the request's `Idempotency-Key`, for AWS calls that take a client token. */
  readonly clientToken?: string | undefined
  /** The account's recent org checks of clusters (see `ClusterOrgMemory`); absent: none kept. */
  readonly clusterOrgs?: ClusterOrgMemory | undefined
  /** What this process recently created in the account (see `MadeHere`); absent: nothing kept. */
  readonly madeHere?: MadeHereMemory | undefined
  /**
   * Roles and log groups this process recently saw exist in the account (see `ExistingResources`);
   * made here so that the workflows, which find it by account, have one to use.
   */
  readonly existingResources?: ExistingResources | undefined
  /** Revisions a service update lately read as the one a service runs (see `RevisionMemory`); absent: none kept. */
  readonly revisions?: RevisionMemory<TaskDefinition> | undefined
}

/** How the use cases run their workflows: with the app's observers, when it has any. */
export function runOptions(ctx: UseCaseContext): RunOptions {
  return ctx.workflowHooks ? { hooks: ctx.workflowHooks } : {}
}

/** Starts a tracked operation of `kind` on the context's account, tied to the request that started it. */
export async function startOperation<Input>(
  ctx: UseCaseContext,
  kind: string,
  target: OperationTarget,
  input: Input,
): Promise<OperationView> {
  if (!ctx.operations) throw new Error(`operation ${kind} started without an operation store`)
  return ctx.operations.start<Input>({
    kind,
    account: ctx.account.name,
    target,
    input,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  })
}

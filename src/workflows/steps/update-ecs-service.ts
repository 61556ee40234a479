/**
 * Step `update-ecs-service`: applies a service update (new task definition, desired count, capacity
 * provider strategy, redeploy, ...). Rollback puts every field it changed back to the value the
 * service had before, so the service runs its old task definition again; a rollback finished later
 * by a tracked operation uses `restoreUnlessChangedSince`.
 */
import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs'
import type { EcsServices } from '../../aws/ecs-services.js'
import { wiredStep, type Step, type StepInputs } from '../step.js'

export const UPDATE_ECS_SERVICE_STEP = 'update-ecs-service'

export interface ServiceUpdateScope {
  readonly services: EcsServices
  /** The service as it was before this request (with its ARN and cluster ARN). */
  readonly current: Service
  /** The client's changes (cluster and service are set here), already checked. */
  readonly update: UpdateServiceCommandInput
}

export type ServiceUpdateInputs<Scope> = StepInputs<
  Scope,
  {
    /** The new revision to run, when this request registered one. */
    taskDefinition: string | undefined
  }
>

/** UpdateService members that mirror a member of the same name on the Service. */
const RESTORABLE = [
  'desiredCount',
  'taskDefinition',
  'capacityProviderStrategy',
  'deploymentConfiguration',
  'networkConfiguration',
  'placementConstraints',
  'placementStrategy',
  'platformVersion',
  'healthCheckGracePeriodSeconds',
  'enableExecuteCommand',
  'enableECSManagedTags',
  'loadBalancers',
  'propagateTags',
  'serviceRegistries',
] as const

type RestorableKey = (typeof RESTORABLE)[number]

/**
 * What undoing an update needs: the UpdateService input that puts the old values back, and the
 * values of those members as ECS answered the update (plain JSON, so a tracked operation can keep it).
 */
export interface ServiceRestore {
  readonly restore: UpdateServiceCommandInput
  readonly applied: Partial<Record<RestorableKey, unknown>>
}

/** The UpdateService input that undoes `applied`: every member it set, back to the service's old value. */
export function restoreInput(current: Service, applied: UpdateServiceCommandInput): UpdateServiceCommandInput | undefined {
  const restore: Record<string, unknown> = {}
  for (const key of RESTORABLE) {
    if (applied[key] !== undefined && current[key] !== undefined) restore[key] = current[key]
  }
  if (Object.keys(restore).length === 0) return undefined
  return { cluster: applied.cluster, service: applied.service, ...restore }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/**
 * Undoes an update later, from a tracked operation: only the members that still hold what this
 * update set are put back. Someone may have updated the service since; their change stays. Answers
 * what it did, for the operation's events.
 */
export async function restoreUnlessChangedSince(services: EcsServices, { restore, applied }: ServiceRestore): Promise<string> {
  const ref = restore.service ?? ''
  const name = ref.split('/').at(-1) ?? ref
  const now = await services.describeActive(restore.cluster ?? '', ref)
  if (!now) return `service ${name} is gone: nothing to put back`
  const input: Record<string, unknown> = {}
  const changedSince: string[] = []
  for (const key of RESTORABLE) {
    if (restore[key] === undefined) continue
    if (sameValue(now[key], applied[key])) input[key] = restore[key]
    else changedSince.push(key)
  }
  const kept = changedSince.length > 0 ? `; changed since, left as they are: ${changedSince.join(', ')}` : ''
  if (Object.keys(input).length === 0) return `service ${name} was updated since: nothing put back${kept}`
  await services.update({ cluster: restore.cluster, service: restore.service, ...input })
  return `put back ${Object.keys(input).join(', ')} of service ${name}${kept}`
}

export function updateEcsServiceStep<Scope extends ServiceUpdateScope>(
  inputs: ServiceUpdateInputs<Scope>,
): Step<Service, ServiceRestore, Scope> {
  return wiredStep(UPDATE_ECS_SERVICE_STEP, inputs, {
    async invoke(ctx, { taskDefinition }) {
      const { current, update, services } = ctx.scope
      const input: UpdateServiceCommandInput = {
        ...update,
        cluster: current.clusterArn,
        service: current.serviceArn,
        ...(taskDefinition ? { taskDefinition } : {}),
      }
      const updated = await services.update(input)
      const restore = restoreInput(current, input)
      if (!restore) return { output: updated }
      const applied: ServiceRestore['applied'] = {}
      for (const key of RESTORABLE) if (restore[key] !== undefined) applied[key] = updated[key]
      return { output: updated, compensation: { restore, applied } }
    },
    // Within the request, right after the update: nobody else's change can be in between.
    async compensate({ restore }: ServiceRestore, ctx) {
      await ctx.scope.services.update(restore)
    },
  })
}

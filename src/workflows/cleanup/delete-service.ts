import { setTimeout as sleep } from 'node:timers/promises'
import type { Service } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import { familyOfArn } from '../../aws/ecs.js'
import { ecsServices, type EcsServices } from '../../aws/ecs-services.js'
import { parseRegistryArn, serviceDiscovery } from '../../aws/service-discovery.js'
import { taggingApi } from '../../aws/tagging.js'
import { NotFoundError } from '../../core/errors.js'
import { belongsToOrg, FLAVOR_TAG, ORG_TAG, SERVICE_TAG, SPACE_TAG, TYPE_TAG } from '../../core/tags.js'
import { deleteRegistry } from '../steps/create-service-registry.js'
import { IncompleteCleanupError } from './incomplete.js'

/**
 * What deleting a service removes besides itself, and the rules of what stays: a registry not
 * created for the space, a family another service still runs.
 */

/** How long to wait for ECS to finish draining a deleted service before the cluster check. */
const DRAIN_BUDGET_MS = 10 * 60_000
const DRAIN_POLL_MS = 5_000

/**
 * Scales the service to 0 and deletes it; one already deleted (or never there) is fine. `described`:
 * the service as the caller just described it (not described again).
 */
export async function deleteEcsService(services: EcsServices, cluster: string, service: string, described?: Service): Promise<void> {
  try {
    const found = described ?? (await services.describeActive(cluster, service))
    if (!found) return
    // Scaling to 0 first lets ECS stop the tasks in order rather than all at once.
    if ((found.desiredCount ?? 0) > 0) await services.update({ cluster, service, desiredCount: 0 })
    await services.delete(cluster, service, true)
  } catch (err) {
    if (err instanceof NotFoundError) return
    throw err
  }
}

/** Waits until ECS reports the service INACTIVE (draining done) or forgets it. */
export async function waitUntilInactive(services: EcsServices, cluster: string, service: string, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + DRAIN_BUDGET_MS
  for (;;) {
    const [found] = await services.describe(cluster, [service]).catch((err: unknown) => {
      if (err instanceof NotFoundError) return []
      throw err
    })
    if (!found || found.status === 'INACTIVE') return true
    if (Date.now() + DRAIN_POLL_MS > deadline || signal.aborted) return false
    await sleep(DRAIN_POLL_MS, undefined, { signal }).catch(() => undefined)
  }
}

/** The family of a task definition reference: an ARN or `family:revision` (as moto stores updates). */
export function familyOfRef(ref: string): string | undefined {
  return /(?:^|:task-definition\/)([A-Za-z0-9_-]+):\d+$/.exec(ref)?.[1]
}

/**
 * The families the cluster's other live services run, each with one of those services' names: a
 * family in it is still used and stays. One listing for every family the caller checks.
 */
export async function familiesInUse(account: Account, cluster: string, self: string): Promise<Map<string, string>> {
  const services = ecsServices(account.clients.ecs)
  const described = await services.describe(cluster, await services.listArns(cluster))
  const users = new Map<string, string>()
  for (const s of described) {
    const family = s.taskDefinition !== undefined ? familyOfRef(s.taskDefinition) : undefined
    if (s.serviceArn === self || s.status === 'INACTIVE' || family === undefined || users.has(family)) continue
    users.set(family, s.serviceName ?? '')
  }
  return users
}

/** Whether registry tags are those this API gives a registry it creates for a service of `space`. */
function createdForSpace(tags: readonly { Key?: string | undefined; Value?: string | undefined }[], org: string, space: string): boolean {
  const has = (key: string, value: string) => tags.some((t) => t.Key === key && t.Value === value)
  return belongsToOrg(tags, org) && has(SPACE_TAG, space) && has(TYPE_TAG, 'container') && has(FLAVOR_TAG, 'service')
}

/**
 * Deletes the Cloud Map registries of `registryArns` that this API created for a service of the
 * space; the others are kept and reported. Every registry is tried; when some could not be deleted
 * it throws an `IncompleteCleanupError` naming them, whose `done` says what was deleted and kept.
 */
export async function deleteSpaceRegistries(
  account: Account,
  target: { org: string; cluster: string; registryArns: readonly string[] },
): Promise<{ deleted: string[]; kept: string[] }> {
  const discovery = serviceDiscovery(account.clients.serviceDiscovery)
  const deleted: string[] = []
  const kept: string[] = []
  const failed: { arn: string; error: unknown }[] = []
  for (const arn of target.registryArns) {
    try {
      const parsed = parseRegistryArn(arn)
      const registry = parsed ? await discovery.findService(parsed.id) : undefined
      if (!parsed || !registry) continue
      // Only registries this API created for a service of the space (they carry the space's managed
      // tags): one the client named at create may be shared, and a named one is only required to be the org's.
      if (!createdForSpace(await discovery.listTags(arn), target.org, target.cluster)) {
        kept.push(arn)
        continue
      }
      await deleteRegistry(discovery, parsed.id)
      deleted.push(arn)
    } catch (error) {
      failed.push({ arn, error })
    }
  }
  if (failed.length > 0) {
    throw new IncompleteCleanupError(
      { deleted, kept },
      `could not delete the Cloud Map registries ${failed.map((f) => f.arn).join(', ')}`,
      failed.map((f) => f.error),
    )
  }
  return { deleted, kept }
}

/**
 * Families with revisions registered for the service (tag `spinup:service`) in the org's space, from
 * the tagging API: also those the service has since moved away from, and deregistered ones.
 */
export async function familiesRegisteredFor(
  account: Account,
  target: { org: string; cluster: string; service: string },
): Promise<string[]> {
  const resources = await taggingApi(account.clients.tagging).getResources({
    resourceTypes: ['ecs:task-definition'],
    tags: [
      { key: ORG_TAG, values: [target.org] },
      { key: SPACE_TAG, values: [target.cluster] },
      { key: SERVICE_TAG, values: [target.service] },
    ],
  })
  return [...new Set(resources.flatMap((r) => familyOfArn(r.arn) ?? []))].sort()
}

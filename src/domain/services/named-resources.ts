import type { LoadBalancer, ServiceRegistry } from '@aws-sdk/client-ecs'
import { parseRegistryArn, type RegistryService } from '../../aws/service-discovery.js'
import { taggingApi } from '../../aws/tagging.js'
import { NotFoundError } from '../../core/errors.js'
import { spaceResourceArns, TARGET_GROUP } from '../../aws/space-resources.js'
import { belongsToOrg } from '../../core/tags.js'
import type { ServiceContext } from './context.js'

/**
 * Cloud Map registries and target groups a service create or update names: a service registered in
 * another org's registry, or behind another space's target group, would receive (or send) that
 * org's traffic. Checked before any write; one that is not the org's (and, for a target group, the
 * space's) in this account and region does not exist for this API: 404 naming the field.
 */

/** The named registry as Cloud Map has it when it is the org's, in this account and region; otherwise a 404. */
async function requireOrgRegistry(ctx: ServiceContext, path: string, arn: string): Promise<RegistryService> {
  const notFound = () => new NotFoundError(`${path}: registry ${arn} not found in this org`, { details: { path } })
  const id = parseRegistryArn(arn)?.id
  if (id === undefined) throw notFound()
  const [service, tags] = await Promise.all([
    ctx.discovery.findService(id),
    // Cloud Map answers "not found" for an ARN of another account or one it does not know.
    ctx.discovery.listTags(arn).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined
      throw err
    }),
  ])
  // The id looked up in this account and region must be the ARN named: another account's or
  // region's ARN with the same id is not it.
  if (!service || service.Arn !== arn || !tags || !belongsToOrg(tags, ctx.org)) throw notFound()
  return service
}

/** Every named target group must carry the org and the space (tagging API, this account and region only). */
async function requireSpaceTargetGroups(
  ctx: ServiceContext,
  space: string,
  path: string,
  loadBalancers: readonly LoadBalancer[],
): Promise<void> {
  const named = loadBalancers.flatMap((lb, i) => (lb.targetGroupArn ? [{ at: `${path}[${i}].targetGroupArn`, arn: lb.targetGroupArn }] : []))
  if (named.length === 0) return
  const ours = new Set((await spaceResourceArns(taggingApi(ctx.account.clients.tagging), ctx.org, space, [TARGET_GROUP]))[TARGET_GROUP])
  for (const { at, arn } of named) {
    if (!ours.has(arn)) throw new NotFoundError(`${at}: target group ${arn} not found in cluster ${space} of this org`, { details: { path: at } })
  }
}

/**
 * Checks the registries and target groups of `service` (fields under `path`, e.g. `service`).
 * Answers the first registry as Cloud Map has it, so the registry step need not look it up again.
 */
export async function requireNamedResources(
  ctx: ServiceContext,
  space: string,
  path: string,
  service: { serviceRegistries?: ServiceRegistry[] | undefined; loadBalancers?: LoadBalancer[] | undefined } | undefined,
): Promise<RegistryService | undefined> {
  const [registries] = await Promise.all([
    Promise.all(
      (service?.serviceRegistries ?? []).map((r, i) => requireOrgRegistry(ctx, `${path}.serviceRegistries[${i}].registryArn`, r.registryArn ?? '')),
    ),
    requireSpaceTargetGroups(ctx, space, `${path}.loadBalancers`, service?.loadBalancers ?? []),
  ])
  return registries[0]
}

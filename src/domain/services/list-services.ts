import { Service$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { belongsToOrg } from '../../core/tags.js'
import type { ServiceContext } from './context.js'
import { findOrgCluster } from './find-service.js'

/**
 * The org's services in a cluster: every page of ListServices (no launch-type filter, so services on
 * a capacity provider strategy are included), then DescribeServices with tags, 10 per call, to keep
 * only ACTIVE services tagged for our org.
 */
export async function listServices(ctx: ServiceContext, cluster: string, all: boolean): Promise<JsonValue[]> {
  // The listing runs alongside the cluster's org check and is read only once that check has passed
  // (a failure of both reports the check's).
  const listing = ctx.services.listArns(cluster)
  // Its rejection is rethrown by the await below; this keeps it from being unhandled meanwhile.
  listing.catch(() => undefined)
  await findOrgCluster(ctx, cluster)
  const arns = await listing
  const described = await ctx.services.describe(cluster, arns)
  const ours = described.filter((s) => s.status === 'ACTIVE' && belongsToOrg(s.tags, ctx.org))
  // DescribeServices answers in request order per batch; keep ListServices' order for a stable answer.
  const rank = new Map(arns.map((arn, i) => [arn, i]))
  ours.sort((a, b) => (rank.get(a.serviceArn ?? '') ?? 0) - (rank.get(b.serviceArn ?? '') ?? 0))
  return all ? ours.map((s) => encode(Service$, s)) : ours.map((s) => s.serviceArn ?? '')
}

import type { Service } from '@aws-sdk/client-ecs'
import { Service$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { belongsToOrg } from '../../core/tags.js'
import type { ServiceContext } from './context.js'
import { checkOrgCluster } from './find-service.js'

/**
 * The org's services in a cluster: every page of ListServices (no launch-type filter, so services on
 * a capacity provider strategy are included), then DescribeServices with tags, 10 per call, to keep
 * only ACTIVE services tagged for our org.
 */
export async function listServices(ctx: ServiceContext, cluster: string, all: boolean): Promise<JsonValue[]> {
  const { arns, described } = ctx.clusterOrgs?.recentlyOf(cluster, ctx.org)
    ? await listConfirmingCluster(ctx, cluster)
    : await listCheckingCluster(ctx, cluster)
  const ours = orgServices(ctx, described)
  // DescribeServices answers in request order per batch; keep ListServices' order for a stable answer.
  const rank = new Map(arns.map((arn, i) => [arn, i]))
  ours.sort((a, b) => (rank.get(a.serviceArn ?? '') ?? 0) - (rank.get(b.serviceArn ?? '') ?? 0))
  return all ? ours.map((s) => encode(Service$, s)) : ours.map((s) => s.serviceArn ?? '')
}

interface Listing {
  arns: string[]
  described: Service[]
}

function orgServices(ctx: ServiceContext, described: readonly Service[]): Service[] {
  return described.filter((s) => s.status === 'ACTIVE' && belongsToOrg(s.tags, ctx.org))
}

/**
 * A cluster not checked lately: its org check (DescribeClusters) runs alongside the listing, which is
 * read only once that check has passed (a failure of both reports the check's).
 */
async function listCheckingCluster(ctx: ServiceContext, cluster: string): Promise<Listing> {
  const listing = ctx.services.listArns(cluster)
  // Its rejection is rethrown by the await below; this keeps it from being unhandled meanwhile.
  listing.catch(() => undefined)
  await checkOrgCluster(ctx, cluster)
  const arns = await listing
  return { arns, described: await ctx.services.describe(cluster, arns) }
}

/**
 * A cluster this process found to be the org's lately: the listing is read first, and an ACTIVE
 * service of the org in it confirms the cluster is still the org's, so the DescribeClusters is not
 * made (why that holds even when another replica deleted and recreated the cluster in the meantime:
 * `ClusterOrgMemory`). Without such a service (none, or only other orgs'), or when the listing fails
 * (the cluster may be gone), the cluster is checked as on any other request, and the check's 404
 * wins over the listing's error.
 */
async function listConfirmingCluster(ctx: ServiceContext, cluster: string): Promise<Listing> {
  let listed: Listing
  try {
    const arns = await ctx.services.listArns(cluster)
    listed = { arns, described: await ctx.services.describe(cluster, arns) }
  } catch (err) {
    await checkOrgCluster(ctx, cluster)
    throw err
  }
  if (orgServices(ctx, listed.described).length === 0) await checkOrgCluster(ctx, cluster)
  return listed
}

import type {
  ElasticLoadBalancingV2Client,
  Listener,
  LoadBalancer,
  Rule,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  paginateDescribeTargetGroups,
} from './sdk/elbv2.js'
import { chunk, mapWithConcurrency } from '../core/concurrency.js'
import { NotFoundError } from '../core/errors.js'
import { orEmpty } from './not-found.js'

export type {
  Action,
  Listener,
  LoadBalancer,
  Rule,
  RuleCondition,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2'

/**
 * ELBv2 reads, pagination and batching hidden. The ARNs we describe come from the tagging API,
 * whose index lags behind deletions, so a resource that is gone is left out rather than failing
 * the whole answer.
 */
export interface Elbv2 {
  /** The load balancers of `arns` that exist, in batches of the API's limit. */
  describeLoadBalancers(arns: readonly string[]): Promise<LoadBalancer[]>
  /** The target groups of `arns` that exist, in batches. */
  describeTargetGroups(arns: readonly string[]): Promise<TargetGroup[]>
  /** Every listener of a load balancer; none when it is gone. */
  describeListeners(loadBalancerArn: string): Promise<Listener[]>
  /** Every rule of a listener (its default rule included); none when it is gone. */
  describeRules(listenerArn: string): Promise<Rule[]>
  /** The health of every target registered in a target group; none when it is gone. */
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealthDescription[]>
}

/** DescribeLoadBalancers takes at most 20 ARNs; target groups are taken in the same batches. */
export const DESCRIBE_BATCH = 20

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = []
  for await (const page of pages) out.push(...(items(page) ?? []))
  return out
}

/**
 * Describes `arns` in batches. AWS refuses a whole batch when one ARN is unknown, so such a batch
 * is retried one ARN at a time, leaving out the ones that are gone.
 */
async function describeExisting<T>(arns: readonly string[], describe: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const batches = await mapWithConcurrency(chunk([...new Set(arns)], DESCRIBE_BATCH), async (batch) => {
    try {
      return await describe(batch)
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err
      if (batch.length === 1) return []
      // A rare race with a delete; a small limit keeps the nested fan-out modest.
      const singles = await mapWithConcurrency(batch, (arn) => orEmpty(describe([arn])), 4)
      return singles.flat()
    }
  })
  return batches.flat()
}

/** The ELBv2 adapter over one account's client (errors arrive already translated). */
export function elbv2Api(client: ElasticLoadBalancingV2Client): Elbv2 {
  // stopOnSameToken: a backend that hands back the marker it was given would otherwise loop forever.
  const paging = { client, stopOnSameToken: true }
  return {
    describeLoadBalancers: (arns) =>
      describeExisting(arns, (batch) =>
        collect(paginateDescribeLoadBalancers(paging, { LoadBalancerArns: batch }), (p) => p.LoadBalancers),
      ),
    describeTargetGroups: (arns) =>
      describeExisting(arns, (batch) =>
        collect(paginateDescribeTargetGroups(paging, { TargetGroupArns: batch }), (p) => p.TargetGroups),
      ),
    describeListeners: (loadBalancerArn) =>
      orEmpty(collect(paginateDescribeListeners(paging, { LoadBalancerArn: loadBalancerArn }), (p) => p.Listeners)),
    describeRules: (listenerArn) =>
      orEmpty(collect(paginateDescribeRules(paging, { ListenerArn: listenerArn }), (p) => p.Rules)),
    describeTargetHealth: (targetGroupArn) =>
      // Not paginated: one answer holds every registered target.
      orEmpty(
        client
          .send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))
          .then((out) => out.TargetHealthDescriptions ?? []),
      ),
  }
}

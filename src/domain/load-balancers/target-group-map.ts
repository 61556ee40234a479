import type { LoadBalancerContext } from './context.js'
import { spaceResourceArns, TARGET_GROUP } from '../../aws/space-resources.js'
import type { TargetGroupMap } from '../../codec/lb-summary.js'

/**
 * Name to ARN of the target groups of a space. They are described (in batches) rather than named
 * from their ARNs, so a target group the tagging index still lists after its deletion is left out.
 */
export async function spaceTargetGroups(ctx: LoadBalancerContext, space: string): Promise<TargetGroupMap> {
  const { [TARGET_GROUP]: arns } = await spaceResourceArns(ctx.tagging, ctx.org, space, [TARGET_GROUP])
  if (arns.length === 0) return {}
  const groups = await ctx.elbv2.describeTargetGroups(arns)
  const entries = groups.flatMap((tg) =>
    tg.TargetGroupName && tg.TargetGroupArn ? [[tg.TargetGroupName, tg.TargetGroupArn] as const] : [],
  )
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)))
}

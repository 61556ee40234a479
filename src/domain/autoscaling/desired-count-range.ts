import type { Service } from '@aws-sdk/client-ecs'
import { applicationAutoscaling } from '../../aws/application-autoscaling.js'
import { ForbiddenError, InputError } from '../../core/errors.js'
import type { UseCaseContext } from '../use-case-context.js'
import { resourceIdOf } from '../../workflows/resources/autoscaling-current.js'

/**
 * A service update's `desiredCount` must lie in the range autoscaling keeps the service in: outside
 * it, Application Auto Scaling would move the count straight back. A 400 naming the field and both
 * bounds; nothing to check without a count or without a registered scalable target.
 */
export async function checkDesiredCountInRange(
  ctx: UseCaseContext,
  cluster: string,
  service: Service,
  desiredCount: number | undefined,
): Promise<void> {
  if (desiredCount === undefined) return
  const autoscaling = applicationAutoscaling(ctx.account.clients.applicationAutoScaling)
  const target = await autoscaling.describeTarget(resourceIdOf(service, cluster)).catch((err: unknown) => {
    // An account whose credentials may not read Application Auto Scaling has updated its services
    // without this check so far; it keeps doing so (and the request says why in the log).
    if (err instanceof ForbiddenError) {
      ctx.log?.warn({ err }, 'autoscaling range not checked: DescribeScalableTargets is not allowed')
      return undefined
    }
    throw err
  })
  if (!target) return
  const min = target.MinCapacity ?? 0
  const max = target.MaxCapacity ?? 0
  if (desiredCount < min || desiredCount > max) {
    const path = 'service.desiredCount'
    throw new InputError(
      `${path} ${desiredCount} is outside the service's autoscaling range: min ${min}, max ${max} (change the autoscaling setting or pick a count in the range)`,
      { details: { path, min, max } },
    )
  }
}

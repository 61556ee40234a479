import { ScalingActivity$ } from '../../aws/sdk/application-autoscaling.js'
import { encode } from '../../codec/index.js'
import { NotFoundError } from '../../core/errors.js'
import { findOrgService } from '../services/find-service.js'
import type { AutoscalingContext } from './context.js'
import { readAutoscaling, resourceIdOf } from '../../workflows/resources/autoscaling-current.js'
import { settingJson } from './setting.js'
import { settingFromAws } from '../../workflows/resources/autoscaling-setting.js'

/** How many of the latest scaling activities an answer shows. */
const RECENT_ACTIVITIES = 20

/**
 * A service's autoscaling setting in the PUT body's shape (PascalCase), with its recent scaling
 * activities; a 404 when the service has no scalable target.
 */
export async function showAutoscaling(ctx: AutoscalingContext, cluster: string, name: string) {
  const service = await findOrgService(ctx, cluster, name)
  const resourceId = resourceIdOf(service, cluster)
  const [current, activities] = await Promise.all([
    readAutoscaling(ctx.autoscaling, resourceId),
    ctx.autoscaling.recentActivities(resourceId, RECENT_ACTIVITIES),
  ])
  if (!current.target) throw new NotFoundError(`service ${name} in cluster ${cluster} has no autoscaling setting`)
  return {
    ...settingJson(settingFromAws(current.target, current.policies, current.actions), resourceId),
    ScalingActivities: activities.map((a) => encode(ScalingActivity$, a)),
  }
}

import { NotFoundError } from '../../core/errors.js'
import { runAutoscalingRemoval, type AutoscalingRunScope } from '../../workflows/autoscaling.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { findOrgService } from '../services/find-service.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { runOptions } from '../use-case-context.js'
import type { AutoscalingContext } from './context.js'
import { hasAutoscaling, readAutoscaling, resourceIdOf, stateOf } from '../../workflows/resources/autoscaling-current.js'
import { settingJson } from './setting.js'
import { settingFromAws } from '../../workflows/resources/autoscaling-setting.js'

/**
 * Removes a service's autoscaling: its policies, scheduled actions and scalable target. The service
 * keeps the count it runs now. A failure at any step puts back what was removed. Answers the setting
 * as it was; a 404 when there is none.
 */
export async function deleteAutoscaling(ctx: AutoscalingContext, cluster: string, name: string) {
  return exclusivelyInSpace(ctx, cluster, async () => {
    const service = await findOrgService(ctx, cluster, name)
    const resourceId = resourceIdOf(service, cluster)
    const current = await readAutoscaling(ctx.autoscaling, resourceId)
    if (!hasAutoscaling(current)) throw new NotFoundError(`service ${name} in cluster ${cluster} has no autoscaling setting`)
    const scope: AutoscalingRunScope = {
      account: ctx.account,
      clusterName: cluster,
      resourceId,
      before: stateOf(current),
      after: { target: undefined, policies: [], actions: [] },
      leftovers: [],
    }
    await runAutoscalingRemoval(scope, runOptions(ctx)).catch((err: unknown) =>
      handOverLeftovers(ctx, scope, err, { service: service.serviceName ?? name }),
    )
    const was = current.target ? settingJson(settingFromAws(current.target, current.policies, current.actions), resourceId) : { ResourceId: resourceId }
    return was
  })
}

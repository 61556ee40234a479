import { runAutoscalingApply, type AutoscalingRunScope } from '../../workflows/autoscaling.js'
import { handOverLeftovers } from '../rollback/finish-rollback-operation.js'
import { findOrgService } from '../services/find-service.js'
import { exclusivelyInSpace } from '../space-lease.js'
import { runOptions } from '../use-case-context.js'
import type { AutoscalingContext } from './context.js'
import { readAutoscaling, resourceIdOf, stateOf } from '../../workflows/resources/autoscaling-current.js'
import { requestCountLabel } from './request-count-label.js'
import { parseAutoscalingBody, settingJson } from './setting.js'
import { policiesOf, scheduledActionsOf } from '../../workflows/resources/autoscaling-setting.js'

/**
 * Sets a service's autoscaling: the org's service first (another org's is a 404), then the body
 * checked (400 naming the field, nothing written), then a workflow that makes AWS hold the setting
 * and, on a failure at any step, puts back what the service had. Answers the setting.
 */
export async function putAutoscaling(ctx: AutoscalingContext, cluster: string, name: string, body: unknown) {
  // Takes turns with the space's other changes, the service's delete among them.
  return exclusivelyInSpace(ctx, cluster, async () => {
    const service = await findOrgService(ctx, cluster, name)
    const setting = parseAutoscalingBody(body, ctx.maxCapacity)
    const resourceId = resourceIdOf(service, cluster)
    const [label, current] = await Promise.all([
      setting.targets.requestsPerTarget !== undefined ? requestCountLabel(ctx, cluster, service) : undefined,
      readAutoscaling(ctx.autoscaling, resourceId),
    ])
    const scope: AutoscalingRunScope = {
      account: ctx.account,
      clusterName: cluster,
      resourceId,
      before: stateOf(current),
      after: { target: { min: setting.min, max: setting.max }, policies: policiesOf(setting, label), actions: scheduledActionsOf(setting) },
      // Compensations that fail are collected here and handed to a tracked operation.
      leftovers: [],
    }
    await runAutoscalingApply(scope, runOptions(ctx)).catch((err: unknown) =>
      handOverLeftovers(ctx, scope, err, { service: service.serviceName ?? name }),
    )
    return settingJson(setting, resourceId)
  })
}

import { applicationAutoscaling, type ScalableTarget } from '../../aws/application-autoscaling.js'
import type { JsonValue } from '../../codec/index.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { ForbiddenError } from '../../core/errors.js'
import { resourceIdOf } from '../../workflows/resources/autoscaling-current.js'
import { settingJson } from '../autoscaling/setting.js'
import { settingFromAws } from '../../workflows/resources/autoscaling-setting.js'
import type { SpaceFacts, SpaceSection, SpaceSectionParts } from './summary-sections.js'

/**
 * Policy reads in flight at once: one per autoscaled service, all in one round for a space of the
 * summary's size, bounded so a large space does not meet the per-account throttle at once.
 */
const POLICY_FAN_OUT = 20

/**
 * `Autoscaling` of each service that has a scalable target: its registered range and the targets of
 * its target-tracking policies, as the autoscaling route answers them. Two calls deep: the targets
 * of every service of the space in one batched DescribeScalableTargets (per 50 services), then the
 * policies of the services that have one, side by side. The service's scheduled actions are left to
 * the service's own autoscaling route (a third call per service the summary does not need).
 */
export const autoscalingSection: SpaceSection = {
  key: 'Autoscaling',
  async build({ ctx, space, services }: SpaceFacts): Promise<SpaceSectionParts> {
    // The services are the org's already: their resource ids cannot reach another org's target.
    const byResource = new Map(services.map((s) => [resourceIdOf(s, space), s.serviceName ?? ''] as const))
    if (byResource.size === 0) return {}
    const autoscaling = applicationAutoscaling(ctx.account.clients.applicationAutoScaling)
    try {
      const targets = await autoscaling.describeTargets([...byResource.keys()])
      const policies = await mapWithConcurrency(targets, (t) => autoscaling.listPolicies(t.ResourceId ?? ''), POLICY_FAN_OUT)
      const parts = new Map<string, JsonValue>()
      targets.forEach((target, i) => {
        const name = byResource.get(target.ResourceId ?? '')
        if (name !== undefined) parts.set(name, entryOf(target, policies[i] ?? []))
      })
      return { services: parts }
    } catch (err) {
      // Credentials that may not read autoscaling: the rest of the summary is worth showing, and
      // nothing is wrong with the space, so the section is simply absent (not "incomplete").
      if (err instanceof ForbiddenError) return {}
      throw err
    }
  },
}

function entryOf(target: ScalableTarget, policies: Parameters<typeof settingFromAws>[1]): JsonValue {
  const { Min, Max, Targets } = settingJson(settingFromAws(target, policies, []), target.ResourceId ?? '')
  return { Min: Min ?? 0, Max: Max ?? 0, Targets: Targets ?? {} }
}

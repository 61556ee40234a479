import type { PolicyDefinition, ScalableTarget, ScalingPolicy, ScheduledAction, ScheduledActionDefinition } from '../../aws/application-autoscaling.js'

/**
 * A service's autoscaling setting, and how it maps to Application Auto Scaling: one target-tracking
 * policy per metric (named `spinup-<metric>`) and one scheduled action per schedule (named as the
 * schedule). What the autoscaling steps put, and how a setting is read back from what AWS has.
 */

export type TargetKey = 'cpu' | 'memory' | 'requestsPerTarget'

export interface ScalingScheduleSetting {
  name: string
  cron: string
  timezone?: string | undefined
  min?: number | undefined
  max?: number | undefined
}

export interface AutoscalingSetting {
  min: number
  max: number
  targets: Partial<Record<TargetKey, number>>
  scaleInCooldown?: number | undefined
  scaleOutCooldown?: number | undefined
  schedules: ScalingScheduleSetting[]
}

/** Each target key's policy name and predefined metric. */
export const TARGET_METRICS: Readonly<Record<TargetKey, { policyName: string; metric: string }>> = {
  cpu: { policyName: 'spinup-cpu', metric: 'ECSServiceAverageCPUUtilization' },
  memory: { policyName: 'spinup-memory', metric: 'ECSServiceAverageMemoryUtilization' },
  requestsPerTarget: { policyName: 'spinup-requests-per-target', metric: 'ALBRequestCountPerTarget' },
}

export const TARGET_KEYS = Object.keys(TARGET_METRICS) as TargetKey[]

/** The target-tracking policies of a setting; `resourceLabel` is needed when requestsPerTarget is given. */
export function policiesOf(setting: AutoscalingSetting, resourceLabel: string | undefined): PolicyDefinition[] {
  return TARGET_KEYS.flatMap((key) => {
    const target = setting.targets[key]
    if (target === undefined) return []
    const { policyName, metric } = TARGET_METRICS[key]
    return [
      {
        PolicyName: policyName,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: target,
          PredefinedMetricSpecification: {
            PredefinedMetricType: metric as 'ECSServiceAverageCPUUtilization',
            ...(key === 'requestsPerTarget' && resourceLabel ? { ResourceLabel: resourceLabel } : {}),
          },
          ...(setting.scaleInCooldown !== undefined ? { ScaleInCooldown: setting.scaleInCooldown } : {}),
          ...(setting.scaleOutCooldown !== undefined ? { ScaleOutCooldown: setting.scaleOutCooldown } : {}),
        },
      },
    ]
  })
}

/** The scheduled actions of a setting. */
export function scheduledActionsOf(setting: AutoscalingSetting): ScheduledActionDefinition[] {
  return setting.schedules.map((s) => ({
    ScheduledActionName: s.name,
    Schedule: s.cron,
    ...(s.timezone ? { Timezone: s.timezone } : {}),
    ...(s.min !== undefined ? { MinCapacity: s.min } : {}),
    ...(s.max !== undefined ? { MaxCapacity: s.max } : {}),
  }))
}

/**
 * The setting as AWS has it: the range of the scalable target, the targets of the target-tracking
 * policies on the three metrics (cooldowns from the first of them: a setting gives all the same), and
 * every scheduled action. Other policies (made outside this API) have no place in the shape.
 */
export function settingFromAws(target: ScalableTarget, policies: readonly ScalingPolicy[], actions: readonly ScheduledAction[]): AutoscalingSetting {
  const targets: Partial<Record<TargetKey, number>> = {}
  let cooldowns: { in?: number | undefined; out?: number | undefined } | undefined
  for (const key of TARGET_KEYS) {
    const policy = policies.find(
      (p) =>
        p.PolicyType === 'TargetTrackingScaling' &&
        p.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType === TARGET_METRICS[key].metric,
    )
    const config = policy?.TargetTrackingScalingPolicyConfiguration
    if (config?.TargetValue === undefined) continue
    targets[key] = config.TargetValue
    cooldowns ??= { in: config.ScaleInCooldown, out: config.ScaleOutCooldown }
  }
  return {
    min: target.MinCapacity ?? 0,
    max: target.MaxCapacity ?? 0,
    targets,
    ...(cooldowns?.in !== undefined ? { scaleInCooldown: cooldowns.in } : {}),
    ...(cooldowns?.out !== undefined ? { scaleOutCooldown: cooldowns.out } : {}),
    schedules: actions.map((a) => ({
        name: a.ScheduledActionName ?? '',
        cron: a.Schedule ?? '',
        ...(a.Timezone ? { timezone: a.Timezone } : {}),
        ...(a.ScalableTargetAction?.MinCapacity !== undefined ? { min: a.ScalableTargetAction.MinCapacity } : {}),
        ...(a.ScalableTargetAction?.MaxCapacity !== undefined ? { max: a.ScalableTargetAction.MaxCapacity } : {}),
    })),
  }
}

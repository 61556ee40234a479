/**
 * Codec shape of the autoscaling body: keys in any case (`scaleInCooldown`, `ScaleInCooldown`,
 * `scaleincooldown`), decoded by the use case.
 */
import { listOf, scalar, struct } from '../../codec/index.js'

/** The metrics a setting can track, by the body's key. */
export const ScalingTargets = struct(
  {
    cpu: scalar.number,
    memory: scalar.number,
    requestsPerTarget: scalar.number,
  },
  'ScalingTargets',
)

export const ScalingSchedule = struct(
  {
    name: scalar.string,
    cron: scalar.string,
    timezone: scalar.string,
    min: scalar.number,
    max: scalar.number,
  },
  'ScalingSchedule',
)

/** PUT .../services/{service}/autoscaling: a count range, target tracking and scheduled ranges. */
export const AutoscalingBody = struct(
  {
    min: scalar.number,
    max: scalar.number,
    targets: ScalingTargets,
    scaleInCooldown: scalar.number,
    scaleOutCooldown: scalar.number,
    schedules: listOf(ScalingSchedule),
  },
  'AutoscalingBody',
)

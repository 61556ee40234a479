/**
 * Codec shape of the schedule body: keys in any case; `overrides` is an ECS task override as the
 * run route takes it.
 */
import type { TaskOverride } from '@aws-sdk/client-ecs'
import { TaskOverride$ } from '../../aws/sdk/ecs.js'
import { scalar, sdkShape, struct } from '../../codec/index.js'

/** POST .../schedules and PUT .../schedules/{name}. */
export const ScheduleBody = struct(
  {
    name: scalar.string,
    expression: scalar.string,
    timezone: scalar.string,
    enabled: scalar.boolean,
    count: scalar.number,
    revision: scalar.number,
    overrides: sdkShape<TaskOverride>(TaskOverride$),
    description: scalar.string,
  },
  'ScheduleBody',
)

import { defineWorkflow } from './engine.js'
import { rememberingLeftovers } from './rollback-finish.js'
import { createSchedule } from './steps/create-schedule.js'
import { ensureScheduleGroup } from './steps/ensure-schedule-group.js'
import { ensureSchedulerRole } from './steps/ensure-scheduler-role.js'
import type { ScheduleScope } from './steps/schedule-scope.js'

/**
 * The schedule create workflow: the space's group and the cluster's scheduler role do not depend on
 * each other and run at once; the schedule needs both. A failure undoes what the run made.
 */
export const createScheduleWorkflow = defineWorkflow<ScheduleScope>(
  'create-schedule',
  rememberingLeftovers<ScheduleScope>([ensureScheduleGroup, ensureSchedulerRole, createSchedule]),
)

/** Runs the create workflow and answers the schedule's ARN. */
export async function runScheduleCreate(scope: ScheduleScope, options: Parameters<typeof createScheduleWorkflow.run>[1]): Promise<string> {
  const result = await createScheduleWorkflow.run(scope, options)
  return result.outputOf(createSchedule).scheduleArn
}

import { defineWorkflow } from './engine.js'
import { rememberingLeftovers } from './rollback-finish.js'
import { ensureSchedulerRole } from './steps/ensure-scheduler-role.js'
import { updateSchedule, type ScheduleUpdateScope } from './steps/update-schedule.js'

/**
 * The schedule update workflow: the cluster's scheduler role is brought to the space's current
 * families (a family created since may now be scheduled), then the schedule's definition is put. A
 * failure puts back the role's policy and the schedule's definition.
 */
export const updateScheduleWorkflow = defineWorkflow<ScheduleUpdateScope>(
  'update-schedule',
  rememberingLeftovers<ScheduleUpdateScope>([ensureSchedulerRole, updateSchedule]),
)

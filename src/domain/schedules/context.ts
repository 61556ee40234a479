import { schedulerApi, type Scheduler } from '../../aws/scheduler.js'
import { taskDefContext } from '../taskdefs/context.js'
import type { TaskDefContext } from '../taskdefs/context.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the schedule use cases need: the task-definition context and the account's Scheduler adapter. */
export interface ScheduleContext extends TaskDefContext {
  readonly scheduler: Scheduler
}

export function scheduleContext(base: UseCaseContext): ScheduleContext {
  return { ...taskDefContext(base), scheduler: schedulerApi(base.account.clients.scheduler) }
}

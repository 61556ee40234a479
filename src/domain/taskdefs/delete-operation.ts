import { cleanUpSpaceStep } from '../cleanup/clean-up-space-step.js'
import { familyCleanupSaid } from '../cleanup/family-cleanup-said.js'
import { reportCleanup } from '../cleanup/report-cleanup.js'
import { deleteTaskDefinitionFamily } from '../../workflows/cleanup/delete-task-definition-family.js'
import { stopFamilyTasks, waitForTasksStopped } from '../../workflows/cleanup/stop-family-tasks.js'
import { defineOperationKind, type OperationStep } from '../../operations/index.js'
import { deleteSpaceSchedulesStep } from '../cleanup/delete-schedules-step.js'

export const TASKDEF_DELETE_KIND = 'taskdef.delete'

/** What the delete operation stores (names and flags only). */
export interface TaskDefDeleteInput {
  org: string
  cluster: string
  family: string
  recursive: boolean
}

/**
 * The tracked part of a task-definition delete. Every step can run again after a crash: stopping
 * finds no task left to stop, deregistering skips INACTIVE revisions, deleted secrets are skipped,
 * and the space cleanup treats a deleted cluster as deleted.
 */
export const taskDefDeleteKind = defineOperationKind<TaskDefDeleteInput>({
  name: TASKDEF_DELETE_KIND,
  steps: (input) => {
    const steps: OperationStep<TaskDefDeleteInput>[] = [
      // First, so no schedule starts a task of the family while it is being deleted.
      deleteSpaceSchedulesStep(),
      {
        id: 'stop-tasks',
        run: async (ctx) => {
          const { cluster, family } = ctx.input
          const stopped = await reportCleanup(
            (m) => ctx.event(m),
            () => stopFamilyTasks(ctx.account, { cluster, family }, `Deleting task definition ${family}`),
            (done) => (done.length > 0 ? [`asked ${done.length} task(s) to stop`] : []),
          )
          return { stopped }
        },
      },
      {
        id: 'wait-tasks-stopped',
        run: async (ctx) => {
          const { stopped } = ctx.outputOf<{ stopped: string[] }>('stop-tasks')
          await waitForTasksStopped(ctx.account, ctx.input.cluster, stopped, { signal: ctx.signal })
          if (stopped.length > 0) await ctx.event(`${stopped.length} task(s) stopped`)
          return { stopped: stopped.length }
        },
      },
      {
        id: 'delete-revisions',
        run: async (ctx) => {
          return reportCleanup(
            (m) => ctx.event(m),
            () => deleteTaskDefinitionFamily(ctx.account, ctx.input),
            (done) => [familyCleanupSaid(done)],
          )
        },
      },
    ]
    if (input.recursive) {
      steps.push(cleanUpSpaceStep())
    }
    return steps
  },
})

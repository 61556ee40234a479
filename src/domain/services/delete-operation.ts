import { ecsServices } from '../../aws/ecs-services.js'
import { defineOperationKind } from '../../operations/index.js'
import {
  deleteEcsService,
  deleteSpaceRegistries,
  familyStillUsed,
  waitUntilInactive,
} from '../../workflows/cleanup/delete-service.js'
import { cleanUpSpaceStep } from '../cleanup/clean-up-space-step.js'
import { familyCleanupSaid } from '../cleanup/family-cleanup-said.js'
import { reportCleanup } from '../cleanup/report-cleanup.js'
import { deleteTaskDefinitionFamily } from '../../workflows/cleanup/delete-task-definition-family.js'

export const SERVICE_DELETE_KIND = 'service.delete'

const registries = (n: number): string => `${n} Cloud Map registr${n === 1 ? 'y' : 'ies'}`

/** What the recursive delete stores (names only). */
export interface ServiceDeleteInput {
  org: string
  cluster: string
  service: string
  serviceArn: string
  /** Cloud Map registries the service was registered in. */
  registryArns: string[]
  /** Family of the service's task definition; omitted when it is a managed task definition (flavor task). */
  family?: string
}

/**
 * The tracked part of a recursive service delete. Every step can run again after a crash: a deleted
 * service, registry, revision or secret is skipped, and the space cleanup treats a deleted cluster as
 * deleted.
 */
export const serviceDeleteKind = defineOperationKind<ServiceDeleteInput>({
  name: SERVICE_DELETE_KIND,
  steps: () => [
    {
      id: 'delete-service',
      run: async (ctx) => {
        const services = ecsServices(ctx.account.clients.ecs)
        await deleteEcsService(services, ctx.input.cluster, ctx.input.serviceArn)
        const drained = await waitUntilInactive(services, ctx.input.cluster, ctx.input.serviceArn, ctx.signal)
        await ctx.event(drained ? `deleted service ${ctx.input.service}` : `deleted service ${ctx.input.service}; it is still draining`)
        return { drained }
      },
    },
    {
      id: 'delete-registries',
      dependsOn: ['delete-service'],
      run: async (ctx) =>
        reportCleanup(
          (m) => ctx.event(m),
          () => deleteSpaceRegistries(ctx.account, ctx.input),
          (done) => [
            ...(done.deleted.length > 0 ? [`deleted ${registries(done.deleted.length)}`] : []),
            ...(done.kept.length > 0 ? [`kept ${registries(done.kept.length)} not created for the org`] : []),
          ],
        ),
    },
    {
      id: 'delete-revisions',
      dependsOn: ['delete-service'],
      run: async (ctx) => {
        const { family, cluster, org } = ctx.input
        if (!family) {
          await ctx.event('kept the task definition: it is a managed task definition')
          return { deregistered: [], secrets: [] }
        }
        const user = await familyStillUsed(ctx.account, cluster, family, ctx.input.serviceArn)
        if (user) {
          await ctx.event(`kept task definition ${family}: service ${user} still runs it`)
          return { deregistered: [], secrets: [] }
        }
        return reportCleanup(
          (m) => ctx.event(m),
          () => deleteTaskDefinitionFamily(ctx.account, { org, cluster, family }),
          (done) => [familyCleanupSaid(done)],
        )
      },
    },
    cleanUpSpaceStep(['delete-registries', 'delete-revisions']),
  ],
})

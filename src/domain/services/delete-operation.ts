import { ecsServices } from '../../aws/ecs-services.js'
import { defineOperationKind } from '../../operations/index.js'
import {
  deleteEcsService,
  deleteServiceFamilies,
  deleteSpaceRegistries,
  familiesRegisteredFor,
  waitUntilInactive,
} from '../../workflows/cleanup/delete-service.js'
import { cleanUpSpaceStep } from '../cleanup/clean-up-space-step.js'

export const SERVICE_DELETE_KIND = 'service.delete'

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
      run: async (ctx) => {
        const done = await deleteSpaceRegistries(ctx.account, ctx.input)
        if (done.deleted.length > 0) await ctx.event(`deleted ${done.deleted.length} Cloud Map registr${done.deleted.length === 1 ? 'y' : 'ies'}`)
        if (done.kept.length > 0) await ctx.event(`kept ${done.kept.length} Cloud Map registr${done.kept.length === 1 ? 'y' : 'ies'} not created for the org`)
        return done
      },
    },
    {
      id: 'delete-revisions',
      dependsOn: ['delete-service'],
      run: async (ctx) => {
        const { family, cluster, org, service, serviceArn } = ctx.input
        // The family it runs (unless a managed task definition's) and every family registered for it.
        const registered = await familiesRegisteredFor(ctx.account, { org, cluster, service })
        const families = [...new Set([...(family ? [family] : []), ...registered])]
        if (families.length === 0) {
          await ctx.event('kept the task definition: it is a managed task definition')
          return { deregistered: [], secrets: [], kept: [] }
        }
        return deleteServiceFamilies(ctx.account, { org, cluster, serviceArn, families }, (line) => ctx.event(line))
      },
    },
    cleanUpSpaceStep(['delete-registries', 'delete-revisions']),
  ],
})

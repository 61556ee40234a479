import { ecsServices } from '../../aws/ecs-services.js'
import { defineOperationKind } from '../../operations/index.js'
import {
  deleteEcsService,
  deleteSpaceRegistries,
  familiesRegisteredFor,
  familiesInUse,
  waitUntilInactive,
} from '../../workflows/cleanup/delete-service.js'
import { cleanUpSpaceStep } from '../cleanup/clean-up-space-step.js'
import { familyCleanupSaid } from '../cleanup/family-cleanup-said.js'
import { reportCleanup } from '../cleanup/report-cleanup.js'
import { deleteTaskDefinitionFamily } from '../../workflows/cleanup/delete-task-definition-family.js'
import { removeServiceAutoscaling } from '../../workflows/cleanup/remove-autoscaling.js'

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
        // Its autoscaling first: a scalable target would otherwise outlive the service.
        const removed = await removeServiceAutoscaling(ctx.account, ctx.input.cluster, ctx.input.service)
        if (removed) await ctx.event(removed)
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
        const { family, cluster, org, service, serviceArn } = ctx.input
        // The family it runs (unless a managed task definition's) and every family registered for it.
        const [registered, users] = await Promise.all([
          familiesRegisteredFor(ctx.account, { org, cluster, service }),
          familiesInUse(ctx.account, cluster, serviceArn),
        ])
        const families = [...new Set([...(family ? [family] : []), ...registered])]
        if (families.length === 0) {
          await ctx.event('kept the task definition: it is a managed task definition')
          return { deregistered: [], secrets: [], kept: [] }
        }
        const done = { deregistered: [] as string[], secrets: [] as string[], kept: [] as string[] }
        for (const one of families) {
          const user = users.get(one)
          if (user) {
            done.kept.push(one)
            await ctx.event(`kept task definition ${one}: service ${user} still runs it`)
            continue
          }
          const cleaned = await reportCleanup(
            (m) => ctx.event(m),
            () => deleteTaskDefinitionFamily(ctx.account, { org, cluster, family: one }),
            (d) => [familyCleanupSaid(d)],
          )
          done.deregistered.push(...cleaned.deregistered)
          done.secrets.push(...cleaned.secrets)
        }
        return done
      },
    },
    cleanUpSpaceStep(['delete-registries', 'delete-revisions']),
  ],
})

/**
 * Optional sections of the space summary (deployments, autoscaling, schedules plug in here): a
 * provider's parts land under its key on services, families and the space; a failing provider is
 * named in IncompleteSections while the rest of the summary stands. Against moto.
 */
import { describe, expect, it } from 'vitest'
import { spaceContext } from '../../../src/domain/spaces/context.js'
import { spaceSummary } from '../../../src/domain/spaces/space-summary.js'
import type { SpaceFacts, SpaceSection } from '../../../src/domain/spaces/summary-sections.js'
import { buildTestApp, TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { motoClients, seedService } from '../../routes/services-fixtures.js'

useMotoReset()

describe('space summary sections', () => {
  it("puts each provider's parts under its key and names a failed one", async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'alpha', 'web')
    const app = await buildTestApp()
    const ctx = spaceContext({ account: app.accounts.get('main')!, org: TEST_ORG })
    let seen: SpaceFacts | undefined
    const autoscaling: SpaceSection = {
      key: 'Autoscaling',
      build: async (facts) => {
        seen = facts
        return { services: new Map([['web', { MinCapacity: 1, MaxCapacity: 4 }]]) }
      },
    }
    const schedules: SpaceSection = {
      key: 'Schedules',
      build: async () => ({ families: new Map([['web-family', [{ Expression: 'rate(1 hour)' }]]]), space: { Count: 1 } }),
    }
    const broken: SpaceSection = {
      key: 'Deployment',
      build: async () => {
        throw new Error('throttled')
      },
    }
    const summary = await spaceSummary(ctx, 'alpha', [autoscaling, schedules, broken])
    expect(seen?.services.map((s) => s.serviceName)).toEqual(['web'])
    expect(seen?.families).toEqual(['web-family'])
    expect(summary.Services[0]).toMatchObject({ ServiceName: 'web', Autoscaling: { MinCapacity: 1, MaxCapacity: 4 } })
    expect(summary.Services[0]).not.toHaveProperty('Deployment')
    expect(summary.TaskDefinitionFamilies[0]).toMatchObject({ Family: 'web-family', Schedules: [{ Expression: 'rate(1 hour)' }] })
    expect(summary.Schedules).toEqual({ Count: 1 })
    expect(summary.IncompleteSections).toEqual(['Deployment'])
  })
})

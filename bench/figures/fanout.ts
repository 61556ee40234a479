/**
 * Figure 3, fan-out reads at the proxy's latency (50 ms by default): the service list of a cluster
 * with 50 services, one service shown with `all=true`, the summary of a space with 20 services, and
 * the load-balancer summary of a space with 3 load balancers x 2 listeners x 5 rules forwarding to 4
 * target groups. The state is put straight into moto first; each read is run once unmeasured (first
 * use of the API's clients), then measured.
 */
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { type MotoClients, motoClients, seedLoadBalancers, seedServiceTask, seedSpace, sharedNamespace } from '../lib/seed.js'

const enc = encodeURIComponent

interface Read {
  label: string
  route: string
  setup(aws: MotoClients, ctx: BenchContext): Promise<{ path: string; note: string }>
}

const READS: Read[] = [
  {
    label: 'service list, 50 services',
    route: 'GET /v1/ecs/{account}/clusters/{cluster}/services',
    setup: async (aws, ctx) => {
      const space = await seedSpace(aws, ctx.vpc, 'bench-list', 50)
      return { path: `/v1/ecs/${BENCH_ACCOUNT}/clusters/${enc(space.cluster)}/services`, note: `${space.services.length} services` }
    },
  },
  {
    label: 'service show, all=true',
    route: 'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}',
    setup: async (aws, ctx) => {
      const namespaceId = await sharedNamespace(aws, ctx.vpc)
      const space = await seedSpace(aws, ctx.vpc, 'bench-show', 1, namespaceId)
      const service = space.services[0]!
      // A couple of tasks, so the task listing has something to page through.
      for (let i = 0; i < 2; i++) await seedServiceTask(aws, ctx.vpc, space, service)
      return { path: `/v1/ecs/${BENCH_ACCOUNT}/clusters/${enc(space.cluster)}/services/${enc(service)}?all=true`, note: 'with a registry and 2 tasks' }
    },
  },
  {
    label: 'space summary, 20 services',
    route: 'GET /v1/ecs/{account}/spaces/{space}',
    setup: async (aws, ctx) => {
      const space = await seedSpace(aws, ctx.vpc, 'bench-space', 20)
      // Some tasks, so the summary's task reads have something to describe.
      for (const service of space.services.slice(0, 3)) await seedServiceTask(aws, ctx.vpc, space, service)
      return { path: `/v1/ecs/${BENCH_ACCOUNT}/spaces/${enc(space.cluster)}`, note: `${space.services.length} services, 3 tasks` }
    },
  },
  {
    label: 'LB summary, 3 LBs x 2 listeners x 5 rules',
    route: 'GET /v1/ecs/{account}/lbs/{space}',
    setup: async (aws, ctx) => {
      const space = 'bench-lbs'
      const seeded = await seedLoadBalancers(aws, ctx.vpc, space, { lbs: 3, listeners: 2, rulesPerListener: 5, targetGroups: 4 })
      return {
        path: `/v1/ecs/${BENCH_ACCOUNT}/lbs/${enc(space)}`,
        note: `${seeded.loadBalancers.length} LBs, ${seeded.rules} rules -> ${seeded.targetGroups.length} target groups`,
      }
    },
  },
]

export const fanoutFigure: Figure = {
  id: 'fanout',
  title: 'Fan-out reads: wall time, AWS calls, critical path',
  target: 'load-balancer summary and space summary: <= 4 calls on the critical path',
  async run(ctx: BenchContext): Promise<Row[]> {
    const api = await ctx.api()
    const runs = ctx.quick ? 3 : 10
    const rows: Row[] = []
    const aws = motoClients(ctx.moto.endpoint)
    try {
      for (const read of READS) {
        const [method, path] = read.route.split(' ') as [string, string]
        if (!hasRoute(api, method, path)) {
          rows.push(naRow(read.label, read.route))
          continue
        }
        const { path: url, note } = await read.setup(aws, ctx)
        expectOk(await timedRequest(ctx, api, method, url), read.label)
        const measured: TimedRun[] = []
        for (let i = 0; i < runs; i++) {
          const run = await timedRequest(ctx, api, method, url)
          expectOk(run, read.label)
          measured.push(run)
        }
        rows.push(summarise(read.label, measured, `${note}; +${ctx.proxy.latencyMs} ms per AWS call`))
      }
    } finally {
      aws.destroy()
    }
    return rows
  },
}

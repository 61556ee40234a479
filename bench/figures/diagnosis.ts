/**
 * Figure 6, diagnosis and merged logs at the proxy's latency (50 ms by default): a service with six
 * tasks, five of them stopped with known reasons (two failures kinds with log lines, one kind
 * without), diagnosed; then the merged logs of all its tasks. Wall time, AWS calls and critical path
 * (the goal: at most 4 calls on the diagnosis' critical path).
 */
import { StopTaskCommand } from '@aws-sdk/client-ecs'
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { SEED_CONTAINER, motoClients, seedLogEvents, seedServiceTask, seedSpace } from '../lib/seed.js'

const DIAGNOSIS = 'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/diagnosis'
const LOGS = 'GET /v1/ecs/{account}/clusters/{cluster}/services/{service}/logs'

const STOPS = [
  'CannotPullContainerError: failed to resolve ref docker.io/library/nope:latest: not found',
  'CannotPullContainerError: failed to resolve ref docker.io/library/nope:latest: not found',
  'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)',
  'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)',
  'ResourceInitializationError: unable to pull secrets or registry auth',
]

export const diagnosisFigure: Figure = {
  id: 'diagnosis',
  title: 'Diagnosis and merged logs: wall time, AWS calls, critical path',
  target: 'diagnosis: <= 4 AWS calls on the critical path',
  async run(ctx: BenchContext): Promise<Row[]> {
    const api = await ctx.api()
    const rows: Row[] = []
    const [method, diagnosisPath] = DIAGNOSIS.split(' ') as [string, string]
    if (!hasRoute(api, method, diagnosisPath)) return [naRow('diagnosis', DIAGNOSIS)]
    const runs = ctx.quick ? 3 : 10
    const aws = motoClients(ctx.moto.endpoint)
    let base: string
    try {
      const space = await seedSpace(aws, ctx.vpc, 'bench-diagnosis', 1)
      const service = space.services[0]!
      const tasks: string[] = []
      for (let i = 0; i < STOPS.length + 1; i++) tasks.push(await seedServiceTask(aws, ctx.vpc, space, service))
      for (const [i, reason] of STOPS.entries()) {
        await aws.ecs.send(new StopTaskCommand({ cluster: space.cluster, task: tasks[i]!, reason }))
      }
      // Log lines for the image-pull and ELB tasks (the secrets failure has none, as in AWS).
      for (const task of tasks.slice(0, 4)) await seedLogEvents(aws, space.cluster, `${space.family}/${SEED_CONTAINER}/${task}`, 200, 100)
      base = `/v1/ecs/${BENCH_ACCOUNT}/clusters/${space.cluster}/services/${service}`
    } finally {
      aws.destroy()
    }

    const measure = async (label: string, path: string, note: string) => {
      expectOk(await timedRequest(ctx, api, method, path), label)
      const measured: TimedRun[] = []
      for (let i = 0; i < runs; i++) {
        const run = await timedRequest(ctx, api, method, path)
        expectOk(run, label)
        measured.push(run)
      }
      rows.push(summarise(label, measured, `${note}; +${ctx.proxy.latencyMs} ms per AWS call`))
    }
    await measure('diagnosis, 5 stopped tasks, 3 failure kinds', `${base}/diagnosis`, '6 tasks, 5 stopped')
    const [, logsPath] = LOGS.split(' ') as [string, string]
    if (hasRoute(api, method, logsPath)) await measure('merged logs, tasks=all', `${base}/logs?tasks=all&limit=1000`, '6 tasks, 800 lines in 4 streams')
    return rows
  },
}

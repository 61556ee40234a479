/**
 * Figure 2, orchestrations at the proxy's latency (50 ms by default): the seed's "new everything"
 * service create and the seed's task-definition create, each run several times on fresh names.
 * Wall time, AWS calls, and the critical path of those calls (see criticalPathLength()).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../../test/harness/moto.js'
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { atMost, expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { median, p95, round } from '../lib/stats.js'
import { criticalPathLength } from '../latency-proxy.js'
import { motoClients, sharedNamespace } from '../lib/seed.js'

type Json = Record<string, unknown>

function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'seed', name), 'utf8')) as Json
}

/** Sets a member of a fixture body by its path, failing loudly if the fixture changed shape. */
function set(body: Json, path: string, value: string): void {
  const keys = path.split('.')
  let node: Json = body
  for (const key of keys.slice(0, -1)) {
    const child = node[key]
    if (typeof child !== 'object' || child === null) throw new Error(`seed fixture has no ${path}`)
    node = child as Json
  }
  node[keys[keys.length - 1]!] = value
}

/** The seed's service create body on names of its own (cluster, family, service, registry, secret). */
function serviceCreateBody(run: string, namespaceId: string): Json {
  const body = fixture('service-create-new-everything.json')
  const cluster = `bench-svc-${run}`
  set(body, 'cluster.clustername', cluster)
  set(body, 'taskdefinition.family', `webservers-${run}`)
  set(body, 'service.servicename', `www-${run}`)
  set(body, 'serviceregistry.name', `www-${run}`)
  set(body, 'serviceregistry.cluster', cluster)
  set(body, 'serviceregistry.dnsconfig.namespaceid', namespaceId)
  set(body, 'credentials.webserver.Name', `bench-webserver-cred-${run}`)
  return body
}

/** The seed's task-definition create body in a cluster of its own (its secret is named after it). */
function taskdefCreateBody(run: string): Json {
  const body = fixture('taskdef-create.json')
  set(body, 'cluster.clustername', `bench-td-${run}`)
  set(body, 'taskdefinition.family', `supercool-${run}`)
  return body
}

/** Slack the target allows on top of the critical path's latency (API work, moto, loopback). */
const WALL_SLACK_MS = 60

async function repeat(
  ctx: BenchContext,
  label: string,
  runs: number,
  maxCriticalPath: number,
  send: (run: string) => Promise<TimedRun>,
): Promise<Row[]> {
  // One unmeasured run first: the API's first use of each AWS client (creation, sockets) is a
  // start-up cost, not the orchestration's.
  expectOk(await send('warm'), label)
  const measured: TimedRun[] = []
  for (let i = 0; i < runs; i++) {
    const run = await send(String(i).padStart(2, '0'))
    expectOk(run, label)
    measured.push(run)
  }
  const row = summarise(label, measured, `+${ctx.proxy.latencyMs} ms per AWS call`)
  // Wall time beyond what the critical path's latency explains, run by run.
  const latency = ctx.proxy.latencyMs
  const excess = measured.map((r) => r.wallMs - criticalPathLength(r.calls) * latency)
  const cp = row.criticalPath ?? Number.NaN
  const wallLimit = cp * latency + WALL_SLACK_MS
  row.target = `crit.path <= ${maxCriticalPath}, wall <= crit.path x ${latency} + ${WALL_SLACK_MS} ms`
  row.met = cp <= maxCriticalPath && (row.median ?? Number.POSITIVE_INFINITY) <= wallLimit
  row.note = `${row.note ?? ''}; wall limit at this crit.path ${wallLimit} ms`
  return [
    row,
    {
      label: `${label}: wall - crit.path x ${latency} ms`,
      status: 'ok',
      unit: 'ms',
      median: round(median(excess), 1),
      p95: round(p95(excess), 1),
      runs: excess.length,
      ...atMost(median(excess), WALL_SLACK_MS, 'median', 'ms'),
      note: 'time not explained by the critical path: API work, moto, loopback',
      details: { excessMs: excess.map((e) => round(e, 1)) },
    },
  ]
}

export const orchestrationFigure: Figure = {
  id: 'orchestration',
  title: 'Orchestrations: wall time, AWS calls, critical path',
  target: 'at 50 ms per call: critical path <= 5 (service create), <= 4 (task definition create); wall <= critical path x 50 ms + 60 ms',
  async run(ctx: BenchContext): Promise<Row[]> {
    const api = await ctx.api()
    const runs = ctx.quick ? 2 : 5
    const rows: Row[] = []
    const tag = Date.now().toString(36)

    // Task definitions first: every service create starts a deployment tracker whose polling
    // (DescribeServices, ListTasks) would otherwise land among a later create's calls.
    if (hasRoute(api, 'POST', '/v1/ecs/{account}/taskdefs')) {
      rows.push(
        ...await repeat(ctx, 'task definition create', runs, 4, (run) =>
          timedRequest(ctx, api, 'POST', `/v1/ecs/${BENCH_ACCOUNT}/taskdefs`, taskdefCreateBody(`${tag}-${run}`)),
        ),
      )
    } else {
      rows.push(naRow('task definition create', 'POST /v1/ecs/{account}/taskdefs'))
    }

    if (hasRoute(api, 'POST', '/v1/ecs/{account}/services')) {
      const aws = motoClients(ctx.moto.endpoint)
      const namespaceId = await sharedNamespace(aws, ctx.vpc).finally(() => aws.destroy())
      rows.push(
        ...await repeat(ctx, 'service create (new everything)', runs, 5, (run) =>
          timedRequest(ctx, api, 'POST', `/v1/ecs/${BENCH_ACCOUNT}/services`, serviceCreateBody(`${tag}-${run}`, namespaceId)),
        ),
      )
    } else {
      rows.push(naRow('service create (new everything)', 'POST /v1/ecs/{account}/services'))
    }
    return rows
  },
}

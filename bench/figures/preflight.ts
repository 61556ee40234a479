/**
 * Figure 6, preflight checks at the proxy's latency (50 ms by default): `POST .../verify` on a
 * service made through the API (execution role, log group, repository credentials) whose container
 * reads 4 secrets and which sits behind a target group of its space. The checks only read and
 * none waits for another, so they should run side by side: the critical path (the longest chain of
 * calls each started after the previous ended) stays a few calls long however many calls there are.
 * The image is on a registry host the API's network guard refuses at once, so no registry time
 * is in the figure (the check reports it failed; the answer is still 200).
 */
import { CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { BENCH_ACCOUNT, BENCH_ORG } from '../lib/api-process.js'
import type { BenchContext, Figure, Row, TimedRun } from '../lib/figure.js'
import { expectOk, hasRoute, naRow, summarise, timedRequest } from '../lib/figure.js'
import { motoClients, spaceTags } from '../lib/seed.js'

const ROUTE = 'POST /v1/ecs/{account}/clusters/{cluster}/services/{service}/verify'

export const preflightFigure: Figure = {
  id: 'preflight',
  title: 'Preflight checks: wall time, AWS calls, critical path',
  target: 'checks run concurrently: critical path well below the number of AWS calls',
  async run(ctx: BenchContext): Promise<Row[]> {
    const api = await ctx.api()
    if (!hasRoute(api, 'POST', '/v1/ecs/{account}/clusters/{cluster}/services/{service}/verify')) return [naRow('verify a service', ROUTE)]
    const aws = motoClients(ctx.moto.endpoint)
    try {
      const space = 'bench-verify'
      const secrets: string[] = []
      for (let i = 0; i < 4; i++) {
        const name = `spinup/${BENCH_ORG}/${space}/s${i}`
        const out = await aws.secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'bench', Tags: [{ Key: 'spinup:org', Value: BENCH_ORG }] }))
        secrets.push(out.ARN!)
      }
      const tg = await aws.elbv2.send(
        new CreateTargetGroupCommand({ Name: 'bench-verify', Protocol: 'HTTP', Port: 80, VpcId: ctx.vpc.vpcId, TargetType: 'ip', Tags: spaceTags(space, 'service') }),
      )
      const create = await timedRequest(ctx, api, 'POST', `/v1/ecs/${BENCH_ACCOUNT}/services`, {
        cluster: { clusterName: space },
        taskDefinition: {
          family: space,
          cpu: '256',
          memory: '512',
          containerDefinitions: [
            {
              name: 'web',
              image: '127.0.0.1:1/bench/app:v1',
              portMappings: [{ containerPort: 80 }],
              secrets: secrets.map((arn, i) => ({ name: `S${i}`, valueFrom: arn })),
            },
          ],
        },
        credentials: { web: { SecretString: '{"username":"u","password":"p"}' } },
        service: {
          serviceName: 'web',
          desiredCount: 1,
          loadBalancers: [{ targetGroupArn: tg.TargetGroups![0]!.TargetGroupArn!, containerName: 'web', containerPort: 80 }],
        },
      })
      expectOk(create, 'service create for the preflight figure')
      const path = `/v1/ecs/${BENCH_ACCOUNT}/clusters/${space}/services/web/verify`
      expectOk(await timedRequest(ctx, api, 'POST', path), 'verify (unmeasured)')
      const measured: TimedRun[] = []
      for (let i = 0; i < (ctx.quick ? 3 : 10); i++) {
        const run = await timedRequest(ctx, api, 'POST', path)
        expectOk(run, 'verify')
        measured.push(run)
      }
      return [summarise('verify a service, 12 checks', measured, `+${ctx.proxy.latencyMs} ms per AWS call`)]
    } finally {
      aws.destroy()
    }
  },
}

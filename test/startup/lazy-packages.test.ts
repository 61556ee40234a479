/**
 * Start-up loads only what the first request needs: the AWS SDK client packages, the plan's diff
 * libraries, croner, the Redis queue and TypeBox's checker stay unloaded until a request (or a Redis
 * config, or an invalid config) needs them. Checked in a process of its own
 * (loaded-packages.child.ts), whose module cache holds only what that process loaded; benchmarks say what this saves (bench/README.md), tests only check it.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { defaultVpcResources, motoEndpoint, MOTO_REGION, useMotoReset } from '../harness/index.js'

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const child = join(import.meta.dirname, 'loaded-packages.child.ts')

/** Loaded at start-up by nothing: each on the first request (or Redis config) that needs it. */
const LAZY = [
  '@aws-sdk/client-ecs',
  '@aws-sdk/client-ssm',
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-servicediscovery',
  '@aws-sdk/client-cloudwatch-logs',
  '@aws-sdk/client-application-auto-scaling',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-iam',
  '@aws-sdk/client-elastic-load-balancing-v2',
  '@aws-sdk/client-resource-groups-tagging-api',
  '@aws-sdk/client-scheduler',
  '@aws-sdk/client-sts',
  '@aws-sdk/credential-providers',
  '@smithy/undici-http-handler',
  'undici',
  'croner',
  'diff',
  'fast-json-patch',
  'bullmq',
  'ioredis',
]

interface Stage {
  stage: string
  status?: number
  detail?: string
  packages: string[]
}

async function loadedPackagesByStage(): Promise<Map<string, Stage>> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-api-lazy-'))
  const config = join(dir, 'config.json')
  const vpc = await defaultVpcResources(motoEndpoint(), MOTO_REGION)
  const account = {
    region: MOTO_REGION,
    akid: 'testing',
    secret: 'testing',
    endpoint: motoEndpoint(),
    defaultSubnets: vpc.subnets.slice(0, 2),
    defaultSgs: vpc.securityGroups.slice(0, 1),
  }
  writeFileSync(
    config,
    JSON.stringify({
      listenAddress: '127.0.0.1:0',
      org: 'o',
      token: 'a-token-for-the-start-up-test',
      logLevel: 'silent',
      accounts: { main: account },
      operations: { sqlitePath: join(dir, 'operations.sqlite') },
    }),
  )
  const { stdout } = await promisify(execFile)(process.execPath, [tsxCli, child, config], { maxBuffer: 16 * 1024 * 1024 })
  const stages = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Stage)
  return new Map(stages.map((s) => [s.stage, s]))
}

describe('start-up loads only what the first request needs', () => {
  // The dry run reads the space: what earlier test files left in moto must not change its answer.
  useMotoReset()

  it('loads no AWS client package, diff, croner or Redis queue until a request needs it; a dry run with checks loads EC2, IAM and the diff', async () => {
    const stages = await loadedPackagesByStage()
    const ready = stages.get('ready')!.packages
    // The harness itself sees the packages it should: the test is not blind.
    expect(ready).toContain('fastify')
    for (const name of LAZY) expect(ready, `${name} loaded at start-up`).not.toContain(name)
    // A valid config is checked with Ajv; TypeBox's checker (required, unlike the ES imports of its
    // type builders, so it shows here) loads only to name the field of an invalid one.
    expect(ready, "TypeBox's checker loaded at start-up").not.toContain('typebox')
    for (const name of LAZY) expect(stages.get('ping')!.packages, `${name} loaded by a ping`).not.toContain(name)

    // A body shape declared from an SDK schema loads its package when a body is first decoded with it.
    const badParameter = stages.get('bad parameter')!
    expect(badParameter.status, badParameter.detail).toBe(400)
    expect(badParameter.packages).toContain('@aws-sdk/client-ssm')

    const dryRun = stages.get('dry run')!
    expect(dryRun.status, dryRun.detail).toBe(200)
    for (const name of ['@aws-sdk/client-ec2', '@aws-sdk/client-iam', '@aws-sdk/client-ecs', '@aws-sdk/client-servicediscovery', 'diff', 'fast-json-patch']) {
      expect(dryRun.packages).toContain(name)
    }
    // Still only what was used: no Redis queue without Redis, no scheduler without schedules.
    for (const name of ['bullmq', 'ioredis', '@aws-sdk/client-scheduler', 'croner']) expect(dryRun.packages).not.toContain(name)
    expect(stages.get('openapi')!.status, stages.get('openapi')!.detail).toBe(200)
    expect(stages.get('invalid config')!.packages).toContain('typebox')
  })
})

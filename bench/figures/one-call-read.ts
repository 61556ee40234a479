/**
 * Authenticated reads that make exactly one AWS call, used by the overhead and memory figures.
 * Each has a per-key path: the key appears in the AWS call's body, which lets the overhead figure
 * pair every API request with the one AWS call it caused.
 */
import type { ApiProcess } from '../lib/api-process.js'
import { BENCH_ACCOUNT } from '../lib/api-process.js'
import type { BenchContext } from '../lib/figure.js'
import { hasRoute } from '../lib/figure.js'
import { type MotoClients, motoClients, seedSecrets, seedSpace } from '../lib/seed.js'

export interface OneCallRead {
  /** e.g. `GET /v1/ecs/{account}/secrets/{secret}` */
  route: string
  /** Expected AWS operation (checked against the proxy's record). */
  operation: string
  /** Creates `count` resources in moto; returns one key per resource. */
  seed(aws: MotoClients, ctx: BenchContext, count: number): Promise<string[]>
  path(account: string, key: string): string
}

const enc = encodeURIComponent

/** In order of preference: the first whose route exists and that makes one call is used. */
export const ONE_CALL_READS: OneCallRead[] = [
  {
    route: 'GET /v1/ecs/{account}/secrets/{secret}',
    operation: 'DescribeSecret',
    seed: (aws, _ctx, count) => seedSecrets(aws, 'bench-read-', count),
    path: (account, key) => `/v1/ecs/${enc(account)}/secrets/${enc(key)}`,
  },
  {
    // A space without target groups: the tagging lookup is the only call.
    route: 'GET /v1/ecs/{account}/lbs',
    operation: 'GetResources',
    seed: async (_aws, _ctx, count) => Array.from({ length: count }, (_, i) => `bench-nolb-${String(i).padStart(3, '0')}`),
    path: (account, key) => `/v1/ecs/${enc(account)}/lbs?space=${enc(key)}`,
  },
  {
    // The managed task definitions of a space: one tagging lookup.
    route: 'GET /v1/ecs/{account}/clusters/{cluster}/taskdefs',
    operation: 'GetResources',
    seed: async (aws, ctx, count) => {
      const keys = Array.from({ length: count }, (_, i) => `bench-tds-${String(i).padStart(3, '0')}`)
      for (const key of keys) await seedSpace(aws, ctx.vpc, key, 0)
      return keys
    },
    path: (account, key) => `/v1/ecs/${enc(account)}/clusters/${enc(key)}/taskdefs`,
  },
]

/** Resources per read: one per connection of the largest load (64). Seeded once per bench run. */
const SEEDED_KEYS = 64
const seeded = new Map<OneCallRead, Promise<string[]>>()

function seedOnce(read: OneCallRead, aws: MotoClients, ctx: BenchContext): Promise<string[]> {
  let keys = seeded.get(read)
  if (!keys) seeded.set(read, (keys = read.seed(aws, ctx, SEEDED_KEYS)))
  return keys
}

export interface ChosenRead {
  read: OneCallRead
  keys: string[]
}

/**
 * Picks the first read whose route exists, seeds keys for it (at most 64), and checks with the proxy
 * that one request makes exactly one AWS call of the expected operation and answers 200.
 * Undefined (with the reasons) when none qualifies.
 */
export async function chooseOneCallRead(ctx: BenchContext, api: ApiProcess, count: number): Promise<ChosenRead | { reasons: string[] }> {
  const reasons: string[] = []
  const aws = motoClients(ctx.moto.endpoint)
  try {
    for (const read of ONE_CALL_READS) {
      const [method, path] = read.route.split(' ') as [string, string]
      if (!hasRoute(api, method, path)) {
        reasons.push(`${read.route}: route not available`)
        continue
      }
      const keys = (await seedOnce(read, aws, ctx)).slice(0, count)
      await ctx.proxy.idle()
      ctx.proxy.reset()
      const res = await fetch(api.origin + read.path(BENCH_ACCOUNT, keys[0]!), { headers: { 'x-auth-token': ctx.authToken } })
      const body = await res.text()
      await ctx.proxy.idle()
      const calls = ctx.proxy.calls()
      if (res.status !== 200) {
        reasons.push(`${read.route}: HTTP ${res.status} ${body.slice(0, 200)}`)
      } else if (calls.length !== 1 || calls[0]!.operation !== read.operation) {
        reasons.push(`${read.route}: made ${calls.length} AWS calls (${calls.map((c) => c.operation).join(', ')}), not one ${read.operation}`)
      } else {
        return { read, keys }
      }
    }
    return { reasons }
  } finally {
    aws.destroy()
  }
}

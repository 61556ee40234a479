/**
 * Go's encoding/json matched object keys to struct fields case-insensitively, so existing config
 * files may spell `listenaddress` or `DefaultSubnets`. We rename known keys to their canonical
 * spelling before validation; keys of maps (account names) are left as written.
 */

type KeyTree = { [canonical: string]: KeyTree | 'leaf' | { map: KeyTree } }

const account: KeyTree = {
  region: 'leaf',
  akid: 'leaf',
  secret: 'leaf',
  defaultSgs: 'leaf',
  defaultSubnets: 'leaf',
  defaultKmsKeyId: 'leaf',
  assumeRole: { roleArn: 'leaf', externalId: 'leaf', sessionName: 'leaf' },
  endpoint: 'leaf',
  allowPublicIp: 'leaf',
}

const configTree: KeyTree = {
  listenAddress: 'leaf',
  accounts: { map: account },
  token: 'leaf',
  tokens: 'leaf',
  logLevel: 'leaf',
  org: 'leaf',
  auth: { maxBcryptCost: 'leaf', bcryptCacheSize: 'leaf' },
  redis: 'leaf',
  images: { allowedPrivateHosts: 'leaf', allowedRealmHosts: 'leaf', insecureHosts: 'leaf', timeoutMs: 'leaf' },
  operations: {
    sqlitePath: 'leaf',
    retentionHours: 'leaf',
    concurrency: 'leaf',
    lockDurationMs: 'leaf',
    stalledIntervalMs: 'leaf',
  },
  bodyLimit: 'leaf',
  shutdownTimeoutMs: 'leaf',
  autoscaling: { maxCapacity: 'leaf' },
  logs: { maxFollows: 'leaf', followPollMinMs: 'leaf', followPollMaxMs: 'leaf', followHeartbeatMs: 'leaf' },
  deployments: { deadlineSeconds: 'leaf', pollMinMs: 'leaf', pollMaxMs: 'leaf', maxWaitSeconds: 'leaf' },
  idempotency: { ttlHours: 'leaf' },
  audit: { retentionDays: 'leaf' },
  rateLimit: { perSecond: 'leaf', burst: 'leaf' },
  orgCacheSeconds: 'leaf',
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function canonicalize(value: unknown, tree: KeyTree): unknown {
  if (!isPlainObject(value)) return value
  const byLower = new Map(Object.keys(tree).map((k) => [k.toLowerCase(), k]))
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    const canonical = byLower.get(key.toLowerCase())
    // Unknown keys are ignored, as the original did.
    if (canonical === undefined) continue
    const sub = tree[canonical]
    if (sub === 'leaf' || sub === undefined) out[canonical] = inner
    else if ('map' in sub && isPlainObject(sub.map) && Object.keys(sub).length === 1) {
      const mapTree = sub.map as KeyTree
      out[canonical] = isPlainObject(inner)
        ? Object.fromEntries(Object.entries(inner).map(([name, v]) => [name, canonicalize(v, mapTree)]))
        : inner
    } else out[canonical] = canonicalize(inner, sub)
  }
  return out
}

export function canonicalizeConfigKeys(raw: unknown): unknown {
  return canonicalize(raw, configTree)
}

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import type * as TypeBoxSchema from 'typebox/schema'
import { canonicalizeConfigKeys } from './canonical-keys.js'
import { type AccountConfig, ConfigFileSchema, type ConfigFile } from './schema.js'

/** The resolved, validated configuration the rest of the service uses. */
export interface Config {
  listen: { host: string; port: number }
  org: string
  accounts: ReadonlyMap<string, AccountConfig>
  /** Accepted plaintext tokens (the original `token` plus `tokens`, for rotation). */
  tokens: readonly string[]
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  auth: { maxBcryptCost: number; bcryptCacheSize: number }
  redis: string | undefined
  images: {
    allowedPrivateHosts: readonly string[]
    allowedRealmHosts: readonly string[]
    insecureHosts: readonly string[]
    timeoutMs: number
  }
  operations: {
    sqlitePath: string
    retentionHours: number
    concurrency: number
    lockDurationMs: number
    stalledIntervalMs: number
  }
  bodyLimit: number
  shutdownTimeoutMs: number
  autoscaling: { maxCapacity: number }
  logs: { maxFollows: number; followPollMinMs: number; followPollMaxMs: number; followHeartbeatMs: number }
  deployments: { deadlineSeconds: number; pollMinMs: number; pollMaxMs: number; maxWaitSeconds: number }
  idempotency: { ttlHours: number }
  audit: { retentionDays: number }
  /** Per-token request rate; undefined: no limit. */
  rateLimit: { perSecond: number; burst: number } | undefined
  /** How long this process trusts what it checked or made for the org; 0: it always asks AWS. */
  orgCacheSeconds: number
}

/** A config problem: the message names the field, and is printed as one line at start-up. */
export class ConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`invalid config: ${field}: ${problem}`)
    this.name = 'ConfigError'
  }
}

export const defaults = {
  listenAddress: ':8080',
  maxBcryptCost: 12,
  bcryptCacheSize: 10_000,
  imagesTimeoutMs: 10_000,
  sqlitePath: '.data/operations.sqlite',
  retentionHours: 7 * 24,
  operationsConcurrency: 4,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  bodyLimit: 1024 * 1024,
  shutdownTimeoutMs: 30_000,
  autoscalingMaxCapacity: 100,
  maxFollows: 100,
  followPollMinMs: 1_000,
  followPollMaxMs: 10_000,
  followHeartbeatMs: 15_000,
  deploymentDeadlineSeconds: 30 * 60,
  deploymentPollMinMs: 2_000,
  deploymentPollMaxMs: 15_000,
  deploymentMaxWaitSeconds: 600,
  idempotencyTtlHours: 24,
  auditRetentionDays: 90,
  orgCacheSeconds: 30,
} as const

type Env = Record<string, string | undefined>

/** Where the config file is: `--config PATH` / `-config PATH` (also `=PATH`), else env, else default. */
export function resolveConfigPath(argv: readonly string[], env: Env): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const m = /^--?config(?:=(.*))?$/.exec(arg)
    if (!m) continue
    const value = m[1] ?? argv[i + 1]
    if (value === undefined || value === '') throw new ConfigError('--config', 'a path is required')
    return value
  }
  return env.ECS_API_CONFIG ?? 'config/config.json'
}

/** Go's listen address forms: ":8080", "127.0.0.1:8080", "[::1]:8080". */
export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address)
  const port = Number(m?.[3])
  if (!m || port > 65535) throw new ConfigError('listenAddress', `"${address}" is not host:port or :port`)
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port }
}

const logLevels = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

function envOverrides(file: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out = { ...file }
  if (env.ECS_API_LISTEN_ADDRESS) out.listenAddress = env.ECS_API_LISTEN_ADDRESS
  if (env.ECS_API_LOG_LEVEL) out.logLevel = env.ECS_API_LOG_LEVEL
  if (env.ECS_API_TOKEN) out.token = env.ECS_API_TOKEN
  if (env.ECS_API_TOKENS) out.tokens = env.ECS_API_TOKENS.split(',').map((t) => t.trim()).filter(Boolean)
  if (env.ECS_API_REDIS_URL) out.redis = env.ECS_API_REDIS_URL
  if (env.ECS_API_ORG) out.org = env.ECS_API_ORG
  return out
}

function fieldOf(instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean)
  return parts.length ? parts.join('.') : '(top level)'
}

const require = createRequire(import.meta.url)

/**
 * Whether the config matches its schema, checked with Ajv, which Fastify loads anyway. TypeBox's own
 * checker (its schema and value modules, about 270 of them, some 3 MiB of the idle process) is
 * loaded only for a config that Ajv refuses, to name the field exactly as before; should TypeBox
 * find nothing wrong with it, the config is accepted, as it was.
 */
function matchesSchema(candidate: unknown): boolean {
  return new Ajv({ strict: false, allErrors: false }).compile(ConfigFileSchema)(candidate) === true
}

function validate(candidate: unknown): ConfigFile {
  if (matchesSchema(candidate)) return candidate as ConfigFile
  const { Errors } = require('typebox/schema') as typeof TypeBoxSchema
  const [, errors] = Errors(ConfigFileSchema, candidate)
  // A missing field is reported before what else is wrong with the file.
  const first = errors.find((e) => e.keyword === 'required') ?? errors[0]
  if (first) {
    const missing = first.keyword === 'required' ? (first.params as { requiredProperties?: string[] }).requiredProperties : undefined
    if (missing?.length) {
      const base = fieldOf(first.instancePath)
      throw new ConfigError(base === '(top level)' ? missing[0]! : `${base}.${missing[0]!}`, 'is required')
    }
    throw new ConfigError(fieldOf(first.instancePath), first.message)
  }
  return candidate as ConfigFile
}

function checkAccount(name: string, account: AccountConfig): void {
  if (!/^[^/\s]+$/.test(name)) throw new ConfigError(`accounts.${name}`, 'account names may not contain "/" or spaces')
  if (Boolean(account.akid) !== Boolean(account.secret)) {
    throw new ConfigError(`accounts.${name}.${account.akid ? 'secret' : 'akid'}`, 'akid and secret must be given together')
  }
}

/** Validates a parsed config object (after environment overrides) into a Config. */
export function buildConfig(raw: unknown, env: Env = {}): Config {
  const canonical = canonicalizeConfigKeys(raw)
  if (typeof canonical !== 'object' || canonical === null || Array.isArray(canonical)) {
    throw new ConfigError('(top level)', 'must be a JSON object')
  }
  const file = validate(envOverrides(canonical as Record<string, unknown>, env))
  for (const [name, account] of Object.entries(file.accounts)) checkAccount(name, account)
  if (Object.keys(file.accounts).length === 0) throw new ConfigError('accounts', 'at least one account is required')

  const tokens = [...(file.token ? [file.token] : []), ...(file.tokens ?? [])]
  if (tokens.length === 0) throw new ConfigError('token', 'at least one token is required (token or tokens)')

  // The original mapped anything but error/warn/debug to info; we accept pino's names too.
  const level = (file.logLevel ?? 'info').toLowerCase()
  return {
    listen: parseListenAddress(file.listenAddress || defaults.listenAddress),
    org: file.org,
    accounts: new Map(Object.entries(file.accounts)),
    tokens,
    logLevel: (logLevels.has(level) ? level : 'info') as Config['logLevel'],
    auth: {
      maxBcryptCost: file.auth?.maxBcryptCost ?? defaults.maxBcryptCost,
      bcryptCacheSize: file.auth?.bcryptCacheSize ?? defaults.bcryptCacheSize,
    },
    redis: file.redis,
    images: {
      allowedPrivateHosts: file.images?.allowedPrivateHosts ?? [],
      allowedRealmHosts: file.images?.allowedRealmHosts ?? [],
      insecureHosts: file.images?.insecureHosts ?? [],
      timeoutMs: file.images?.timeoutMs ?? defaults.imagesTimeoutMs,
    },
    operations: {
      sqlitePath: file.operations?.sqlitePath ?? defaults.sqlitePath,
      retentionHours: file.operations?.retentionHours ?? defaults.retentionHours,
      concurrency: file.operations?.concurrency ?? defaults.operationsConcurrency,
      lockDurationMs: file.operations?.lockDurationMs ?? defaults.lockDurationMs,
      stalledIntervalMs: file.operations?.stalledIntervalMs ?? defaults.stalledIntervalMs,
    },
    bodyLimit: file.bodyLimit ?? defaults.bodyLimit,
    shutdownTimeoutMs: file.shutdownTimeoutMs ?? defaults.shutdownTimeoutMs,
    autoscaling: { maxCapacity: file.autoscaling?.maxCapacity ?? defaults.autoscalingMaxCapacity },
    logs: {
      maxFollows: file.logs?.maxFollows ?? defaults.maxFollows,
      followPollMinMs: file.logs?.followPollMinMs ?? defaults.followPollMinMs,
      followPollMaxMs: Math.max(file.logs?.followPollMaxMs ?? defaults.followPollMaxMs, file.logs?.followPollMinMs ?? 0),
      followHeartbeatMs: file.logs?.followHeartbeatMs ?? defaults.followHeartbeatMs,
    },
    deployments: {
      deadlineSeconds: file.deployments?.deadlineSeconds ?? defaults.deploymentDeadlineSeconds,
      pollMinMs: file.deployments?.pollMinMs ?? defaults.deploymentPollMinMs,
      pollMaxMs: Math.max(file.deployments?.pollMaxMs ?? defaults.deploymentPollMaxMs, file.deployments?.pollMinMs ?? 0),
      maxWaitSeconds: file.deployments?.maxWaitSeconds ?? defaults.deploymentMaxWaitSeconds,
    },
    idempotency: { ttlHours: file.idempotency?.ttlHours ?? defaults.idempotencyTtlHours },
    audit: { retentionDays: file.audit?.retentionDays ?? defaults.auditRetentionDays },
    rateLimit: file.rateLimit
      ? { perSecond: file.rateLimit.perSecond, burst: file.rateLimit.burst ?? Math.max(1, Math.ceil(file.rateLimit.perSecond)) }
      : undefined,
    orgCacheSeconds: file.orgCacheSeconds ?? defaults.orgCacheSeconds,
  }
}

/** Reads, parses and validates the config file at `path`; every failure is a ConfigError. */
export function loadConfig(path: string, env: Env = process.env): Config {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(path, `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(path, `not valid JSON (${(err as Error).message})`)
  }
  return buildConfig(parsed, env)
}

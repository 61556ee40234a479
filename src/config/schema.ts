import Type, { type Static } from 'typebox'

/**
 * The config file: the original service's `config.json` (listenAddress, accounts, token, logLevel,
 * org) plus optional fields of ours. Keys are matched case-insensitively before validation
 * (see canonical-keys.ts), as Go's JSON decoder did for the original.
 */

const NonEmpty = Type.String({ minLength: 1 })

export const AssumeRoleSchema = Type.Object({
  roleArn: Type.String({ pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+' }),
  externalId: Type.Optional(NonEmpty),
  sessionName: Type.Optional(Type.String({ pattern: '^[\\w+=,.@-]{2,64}$' })),
})

export const AccountSchema = Type.Object({
  region: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' }),
  akid: Type.Optional(Type.String()),
  secret: Type.Optional(Type.String()),
  defaultSgs: Type.Optional(Type.Array(NonEmpty)),
  defaultSubnets: Type.Optional(Type.Array(NonEmpty)),
  defaultKmsKeyId: Type.Optional(Type.String()),
  assumeRole: Type.Optional(AssumeRoleSchema),
  endpoint: Type.Optional(Type.String({ pattern: '^https?://' })),
  allowPublicIp: Type.Optional(Type.Boolean()),
})

export const ImagesSchema = Type.Object({
  /** Registry hosts (host or host:port) that may resolve to loopback/private addresses. */
  allowedPrivateHosts: Type.Optional(Type.Array(NonEmpty)),
  /** Token realm hosts that may receive caller credentials besides the registry's own domain. */
  allowedRealmHosts: Type.Optional(Type.Array(NonEmpty)),
  /** Registries reached over plain HTTP (test registries). */
  insecureHosts: Type.Optional(Type.Array(NonEmpty)),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
})

export const OperationsSchema = Type.Object({
  /** SQLite file of the embedded operation store. */
  sqlitePath: Type.Optional(NonEmpty),
  /** How long finished operations are kept. */
  retentionHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Operations this process runs at once; 0 runs none (it only starts and reports them). */
  concurrency: Type.Optional(Type.Integer({ minimum: 0, maximum: 64 })),
  /** With redis: how long a replica's claim on a running operation lasts unless renewed (renewed every half). */
  lockDurationMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 600_000 })),
  /** With redis: how often replicas look for operations whose replica died (its claim expired). */
  stalledIntervalMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
})

export const LogsSchema = Type.Object({
  /** Log follows (server-sent events) this process keeps open at once; one more answers 503. */
  maxFollows: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  /** A follow's fastest poll of CloudWatch Logs, and its slowest while nothing new arrives. */
  followPollMinMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000 })),
  followPollMaxMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 300_000 })),
  /** Milliseconds between a follow's keep-alive comments. */
  followHeartbeatMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 300_000 })),
})

export const DeploymentsSchema = Type.Object({
  /** How long a deployment may run before it is reported FAILED. */
  deadlineSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
  /** The tracker's first delay between two looks at a service, growing to `pollMaxMs` while nothing changes. */
  pollMinMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
  pollMaxMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
  /** The longest `Prefer: wait` / `?wait` a request may ask for. */
  maxWaitSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 3_600 })),
})

export const ConfigFileSchema = Type.Object({
  listenAddress: Type.Optional(Type.String()),
  accounts: Type.Record(Type.String({ pattern: '^[^/\\s]+$' }), AccountSchema),
  token: Type.Optional(Type.String()),
  tokens: Type.Optional(Type.Array(Type.String({ minLength: 8 }))),
  logLevel: Type.Optional(Type.String()),
  org: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
  auth: Type.Optional(
    Type.Object({
      maxBcryptCost: Type.Optional(Type.Integer({ minimum: 4, maximum: 31 })),
      bcryptCacheSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    }),
  ),
  redis: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  images: Type.Optional(ImagesSchema),
  operations: Type.Optional(OperationsSchema),
  bodyLimit: Type.Optional(Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024 })),
  shutdownTimeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
  /** Service autoscaling: the highest `max` (task count) a setting may ask for. */
  autoscaling: Type.Optional(Type.Object({ maxCapacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) })),
  logs: Type.Optional(LogsSchema),
  deployments: Type.Optional(DeploymentsSchema),
  idempotency: Type.Optional(
    Type.Object({
      /** How long the answer of a request with an `Idempotency-Key` is kept for replays. */
      ttlHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30 })),
    }),
  ),
  audit: Type.Optional(
    Type.Object({
      /** How long audit records are kept in the operation store. */
      retentionDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3_650 })),
    }),
  ),
  /** Requests per second per token, with a burst; off when absent. */
  rateLimit: Type.Optional(
    Type.Object({
      perSecond: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
      burst: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    }),
  ),
  /**
   * How long this process trusts what it checked or made for the org (a cluster's org tag, a secret or
   * parameter it created, a space's role or log group it made or found) before asking AWS again; 0:
   * it always asks.
   */
  orgCacheSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 3_600 })),
})

export type ConfigFile = Static<typeof ConfigFileSchema>
export type AccountConfig = Static<typeof AccountSchema>
export type ImagesConfig = Static<typeof ImagesSchema>

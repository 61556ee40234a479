import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config/load-config.js'
import { AuditTrail } from './audit-trail.js'
import { OperationExecutor } from './executor.js'
import type { OperationKind, OperationKindRegistry } from './kinds.js'
import { Leases } from './leases.js'
import { LocalRunner } from './local-runner.js'
import { createOperationMetrics } from './metrics.js'
import { appKindRegistry, Operations } from './operations.js'
import type { OperationRunner } from './runner.js'
import { SqliteOperationStore } from './sqlite-store.js'
import type { OperationStore } from './store.js'

declare module 'fastify' {
  interface FastifyInstance {
    operations: Operations
    /** Where answers kept for idempotency keys and audit records live too. */
    operationStore: OperationStore
    auditTrail: AuditTrail
  }
}

/**
 * How long the runner lets steps in flight finish once shutdown began: most of the shutdown
 * deadline, keeping the rest to abort them and close the store before the process is cut off.
 */
function operationsStopDeadline(shutdownTimeoutMs: number): number {
  return shutdownTimeoutMs === 0 ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(shutdownTimeoutMs * 0.9) - 1_000)
}

/** How long start-up waits for Redis before going on without it (readiness says 503 meanwhile). */
const REDIS_FIRST_CONNECT_MS = 3_000
const DAY_MS = 24 * 3_600_000

/** Redis when configured (shared by replicas), else the SQLite file (this process alone). */
async function openStore(config: Config, log: FastifyBaseLogger): Promise<OperationStore> {
  if (!config.redis) return SqliteOperationStore.open(config.operations.sqlitePath)
  // BullMQ and ioredis are loaded only when Redis is configured: they cost ~25 MB of memory.
  const { RedisOperationStore } = await import('./redis-store.js')
  const store = new RedisOperationStore({
    url: config.redis,
    org: config.org,
    log,
    finishedTtlMs: config.operations.retentionHours * 3_600_000 + DAY_MS,
  })
  // An unreachable Redis is logged by the store; the service starts anyway and recovers with it.
  await store.connected(REDIS_FIRST_CONNECT_MS)
  return store
}

async function createRunner(
  config: Config,
  store: OperationStore,
  executor: OperationExecutor,
  log: FastifyBaseLogger,
  kinds: OperationKindRegistry,
): Promise<OperationRunner> {
  const execute = executor.execute.bind(executor)
  const { concurrency, lockDurationMs, stalledIntervalMs, retentionHours } = config.operations
  if (!config.redis) {
    const waits = async (id: string): Promise<boolean> => {
      const record = await store.get(id)
      return record !== undefined && kinds.get(record.kind)?.waits === true
    }
    return new LocalRunner({ store, execute, concurrency, log, waits })
  }
  const { BullmqRunner } = await import('./bullmq-runner.js')
  return new BullmqRunner({
    url: config.redis,
    org: config.org,
    store,
    execute,
    failUnfinished: (id, message) => executor.failUnfinished(id, message),
    concurrency,
    lockDurationMs,
    stalledIntervalMs,
    retentionMs: retentionHours * 3_600_000,
    log,
  })
}

/**
 * Tracked operations: the store the config chooses, the runner, `app.operations` with `kinds`
 * registered, the readiness check. Operations start running once the app is ready and stop taking
 * work as soon as the app starts closing.
 */
export const operationsPlugin = fp(
  async (app: FastifyInstance, options: { kinds: readonly OperationKind<never>[] }) => {
    const { config } = app
    const log = app.log.child({ component: 'operations' })
    const kinds = appKindRegistry()
    for (const kind of options.kinds) kinds.register(kind)
    const metrics = createOperationMetrics(app.metrics.registry)
    const store = await openStore(config, log)
    const leases = new Leases(store)
    const auditTrail = new AuditTrail({
      store,
      log: app.log.child({ logger: 'audit' }),
      retentionMs: config.audit.retentionDays * DAY_MS,
      org: config.org,
    })
    const onFinished = (record: Parameters<AuditTrail['operationFinished']>[0]) => {
      let result: string | undefined
      try {
        result = kinds.get(record.kind)?.result?.(record)
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, operationId: record.id }, 'operation result not read for its audit record')
      }
      return auditTrail.operationFinished(record, result)
    }
    const executor = new OperationExecutor({ store, kinds, accounts: app.accounts, metrics, log, leases, onFinished, registry: app.metrics.registry })
    const operations = new Operations({
      store,
      leases,
      runner: await createRunner(config, store, executor, log, kinds),
      kinds,
      accounts: app.accounts,
      log,
      retentionMs: config.operations.retentionHours * 3_600_000,
    })

    app.decorate('operations', operations)
    app.decorate('operationStore', store)
    app.decorate('auditTrail', auditTrail)
    app.readinessChecks.set('operations', () => operations.check())
    app.addHook('onReady', async () => {
      await operations.begin()
      auditTrail.begin()
    })
    app.addHook('preClose', async () => {
      auditTrail.stop()
      operations.beginStop()
    })
    app.addHook('onClose', async () => {
      await operations.close(operationsStopDeadline(config.shutdownTimeoutMs))
    })
  },
  { name: 'operations', dependencies: ['accounts', 'metrics'] },
)

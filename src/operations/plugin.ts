import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { OperationExecutor } from './executor.js'
import { LocalRunner } from './local-runner.js'
import { createOperationMetrics } from './metrics.js'
import { appKindRegistry, Operations } from './operations.js'
import { SqliteOperationStore } from './sqlite-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    operations: Operations
  }
}

/**
 * How long the runner lets steps in flight finish once shutdown began: most of the shutdown
 * deadline, keeping the rest to abort them and close the store before the process is cut off.
 */
export function operationsStopDeadline(shutdownTimeoutMs: number): number {
  return shutdownTimeoutMs === 0 ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(shutdownTimeoutMs * 0.9) - 1_000)
}

/**
 * Tracked operations: the store the config chooses, the runner, `app.operations`, the readiness
 * check. Operations start running once the app is ready (after every route plugin registered its
 * kinds) and stop taking work as soon as the app starts closing.
 */
export const operationsPlugin = fp(
  async (app: FastifyInstance) => {
    const { config } = app
    const log = app.log.child({ component: 'operations' })
    const kinds = appKindRegistry()
    const metrics = createOperationMetrics(app.metrics.registry)
    const store = SqliteOperationStore.open(config.operations.sqlitePath)
    const executor = new OperationExecutor({ store, kinds, accounts: app.accounts, metrics, log })
    const runner = new LocalRunner({
      store,
      execute: (id, control) => executor.execute(id, control),
      concurrency: config.operations.concurrency,
      log,
    })
    const operations = new Operations({
      store,
      runner,
      kinds,
      accounts: app.accounts,
      log,
      retentionMs: config.operations.retentionHours * 3_600_000,
    })

    app.decorate('operations', operations)
    app.readinessChecks.set('operations', () => operations.check())
    app.addHook('onReady', async () => {
      await operations.begin()
    })
    app.addHook('preClose', async () => {
      operations.beginStop()
    })
    app.addHook('onClose', async () => {
      await operations.close(operationsStopDeadline(config.shutdownTimeoutMs))
    })
  },
  { name: 'operations', dependencies: ['accounts', 'metrics'] },
)

import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, resolveConfigPath } from './config/load-config.js'
import { compactHeapOnce } from './observability/compact-heap.js'
import { startOptimizingAfterLoading } from './observability/optimizing-compiler.js'

/**
 * Process entry: load the config (one line and exit 1 when it is invalid), build the app, listen,
 * and on SIGTERM or SIGINT stop accepting, let in-flight requests finish within the shutdown
 * deadline, then exit.
 */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(resolveConfigPath(process.argv.slice(2), process.env))
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }

  const app = await buildApp({ config })

  closeWithGrace({ delay: config.shutdownTimeoutMs || false, logger: { error: (m: string) => app.log.error(m) } }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error')
    else app.log.info({ signal }, 'shutting down: draining in-flight requests')
    app.draining = true
    await app.close()
    app.log.info('shut down cleanly')
  })

  await app.listen({ host: config.listen.host, port: config.listen.port })
  // What loading left behind goes back to the system before the process settles (about 10 MiB).
  compactHeapOnce()
  // Loaded: V8's optimizing compiler, kept off by `npm start` while loading, starts working.
  startOptimizingAfterLoading()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})

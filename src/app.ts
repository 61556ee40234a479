import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import { AccountRegistry } from './aws/account-clients.js'
import { allOperationKinds } from './domain/operation-kinds.js'
import type { Config } from './config/load-config.js'
import { accountsPlugin } from './http/accounts-plugin.js'
import { authPlugin } from './http/auth-plugin.js'
import { corsPlugin } from './http/cors.js'
import { errorHandlerPlugin } from './http/error-handler.js'
import { finiteNumbersPlugin } from './http/finite-numbers.js'
import { metricsPlugin } from './http/metrics-plugin.js'
import { openApiPlugin } from './http/openapi.js'
import { canonicalUrl } from './http/path-aliases.js'
import { requestIdFor } from './http/request-id.js'
import { registerJsonBodyParser } from './http/json-body.js'
import { toProblem } from './http/problem.js'
import { problemClientErrorHandler } from './http/client-error.js'
import { auditPlugin } from './http/audit-plugin.js'
import { conditionalRequestsPlugin } from './http/conditional-requests.js'
import { idempotencyPlugin } from './http/idempotency.js'
import { lazySerializers } from './http/lazy-serializers.js'
import { compileValidatorsOnFirstUse } from './http/lazy-validators.js'
import { pagedListsPlugin } from './http/paged-lists.js'
import { rateLimitPlugin } from './http/rate-limit.js'
import { loggerOptions, skipRedactionOfPlainValues, stdoutDestination } from './observability/logger.js'
import { createMetrics } from './observability/metrics.js'
import { operationsPlugin } from './operations/plugin.js'
import { routes } from './routes/index.js'
import { ProblemSchema } from './schemas/common.js'
import { CheckSchema, PlanSchema } from './schemas/plans.js'
import type { WorkflowHooks } from './workflows/engine.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    workflowHooks: WorkflowHooks | undefined
  }
}

export interface BuildAppOptions {
  config: Config
  /** Fastify logger setting; defaults to pino JSON at the config's level. */
  logger?: FastifyServerOptions['logger']
  /** Where the default logger writes (tests capture lines with it); stdout otherwise. */
  logStream?: { write(line: string): void }
  /**
   * Observers of every workflow run (service and task-definition creates and updates). Production
   * has none; tests use them to fail a chosen step before or after its work (a throwing
   * `onStepStart` or `onStepSuccess`), which reaches failures moto cannot produce.
   */
  workflowHooks?: WorkflowHooks
}

/** Builds the whole service without listening; tests use it through `inject` or a real listener. */
export async function buildApp({ config, logger, logStream, workflowHooks }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { ...loggerOptions(config.logLevel), stream: logStream ?? stdoutDestination() },
    genReqId: requestIdFor,
    // One 'request completed' line per request comes from the metrics plugin instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    rewriteUrl: (req) => canonicalUrl(req.url ?? '/'),
    // ARNs in path parameters (secrets, tasks) run past find-my-way's default of 100 characters.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 2048 },
    // Router-level failures (an undecodable URL, an over-long parameter) answer problem+json too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const { problem } = toProblem(error, request.id)
      void reply.code(problem.status).type('application/problem+json').header('X-Request-Id', request.id).send(problem)
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false }, onCreate: compileValidatorsOnFirstUse },
    // Errors before a request exists (431, a malformed request line) answer problem+json too.
    clientErrorHandler: problemClientErrorHandler,
    schemaController: lazySerializers,
  }).withTypeProvider<TypeBoxTypeProvider>()
  skipRedactionOfPlainValues(app.log)

  const metrics = createMetrics()
  app.decorate('config', config)
  app.decorate('workflowHooks', workflowHooks)
  app.decorate('readinessChecks', new Map<string, () => Promise<void>>())
  app.decorate('draining', false)
  app.addSchema(ProblemSchema)
  app.addSchema(CheckSchema)
  app.addSchema(PlanSchema)
  registerJsonBodyParser(app)
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id)
  })

  await app.register(errorHandlerPlugin)
  await app.register(corsPlugin)
  await app.register(authPlugin, {
    tokens: config.tokens,
    maxBcryptCost: config.auth.maxBcryptCost,
    cacheSize: config.auth.bcryptCacheSize,
  })
  await app.register(metricsPlugin, { metrics })
  await app.register(accountsPlugin, { accounts: new AccountRegistry(config.accounts, metrics) })
  await app.register(finiteNumbersPlugin)
  await app.register(openApiPlugin)
  await app.register(operationsPlugin, { kinds: allOperationKinds })
  // Retries, concurrency and audit: their preHandler hooks run in this order (an If-Match or a
  // replay that answers first leaves no audit record).
  await app.register(conditionalRequestsPlugin)
  if (config.rateLimit) await app.register(rateLimitPlugin, config.rateLimit)
  await app.register(pagedListsPlugin)
  await app.register(idempotencyPlugin, { ttlMs: config.idempotency.ttlHours * 3_600_000 })
  await app.register(auditPlugin)

  await app.register(routes)
  return app
}

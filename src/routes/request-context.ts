import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UseCaseContext } from '../domain/use-case-context.js'
import { accountOf } from '../http/accounts-plugin.js'
import { clusterOrgMemoryOf } from '../core/clusters.js'
import { madeHereOf } from '../core/made-here.js'
import { existingResourcesOf } from '../core/existing-resources.js'
import { revisionMemoryOf } from '../core/revision-memory.js'
import { queryBool } from '../schemas/services.js'

/**
 * The context every use case is called with: the path's account (already resolved; an unknown one
 * was answered 404), the org this process serves, the request's logger and id, the operations store
 * and the app's workflow observers.
 */
export function contextOf(request: FastifyRequest): UseCaseContext {
  const app = request.server
  const account = accountOf(request)
  return {
    account,
    org: app.config.org,
    log: request.log,
    operations: app.operations,
    requestId: request.id,
    workflowHooks: app.workflowHooks,
    clientToken: request.idempotency?.clientToken,
    clusterOrgs: clusterOrgMemoryOf(account, app.config.orgCacheSeconds * 1000),
    madeHere: madeHereOf(account, app.config.orgCacheSeconds * 1000),
    existingResources: existingResourcesOf(account, app.config.orgCacheSeconds * 1000),
    revisions: revisionMemoryOf(account, app.config.orgCacheSeconds * 1000),
  }
}

/** The original answered some writes with a bare `OK`; it is sent as the text it is. */
export function replyOk(reply: FastifyReply): FastifyReply {
  return reply.type('text/plain; charset=utf-8').send('OK')
}

/** `dryRun` and `verify` of a planned route (already validated as booleans by its schema). */
export function planQuery(query: unknown): { dryRun: boolean; verify: boolean } {
  const q = (query ?? {}) as { dryRun?: string; verify?: string }
  return { dryRun: queryBool(q.dryRun), verify: queryBool(q.verify) }
}

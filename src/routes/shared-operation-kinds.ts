import type { FastifyInstance } from 'fastify'
import { finishRollbackKind } from '../workflows/rollback-finish.js'

/**
 * Operation kinds that several route groups start, registered once per app. A kind registered by
 * two route plugins would stop the app at start-up (the registry refuses a second registration), and
 * one registered by only one of them would leave the other's operations without code to run them.
 * Kinds that a single route group starts stay with that group.
 */
export async function sharedOperationKinds(app: FastifyInstance): Promise<void> {
  // What a failed create or update of a task definition or a service could not roll back.
  app.operations.register(finishRollbackKind)
}

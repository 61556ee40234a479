import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createOrgSecret } from '../domain/secrets/create-org-secret.js'
import { deleteOrgSecret } from '../domain/secrets/delete-org-secret.js'
import { listOrgSecretArns, type TagQuery } from '../domain/secrets/list-org-secrets.js'
import { secretScope } from '../domain/secrets/org-secret.js'
import { showOrgSecret } from '../domain/secrets/show-org-secret.js'
import { updateOrgSecret } from '../domain/secrets/update-org-secret.js'
import {
  CreateSecretSchema,
  DeleteSecretSchema,
  ListSecretsSchema,
  ShowSecretSchema,
  UpdateSecretSchema,
} from '../schemas/secrets.js'
import { contextOf } from './request-context.js'

/** `/v1/ecs/{account}/secrets`: the org's secrets in Secrets Manager (also at `/secret/{secret}`). */
export async function secretRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const scope = (request: FastifyRequest) => secretScope(contextOf(request))

  app.get('/v1/ecs/:account/secrets', { schema: ListSecretsSchema }, async (request) =>
    listOrgSecretArns(scope(request), request.query as TagQuery),
  )

  app.post('/v1/ecs/:account/secrets', { schema: CreateSecretSchema }, async (request) => createOrgSecret(scope(request), request.body))

  app.get('/v1/ecs/:account/secrets/:secret', { schema: ShowSecretSchema }, async (request) =>
    showOrgSecret(scope(request), request.params.secret),
  )

  app.put('/v1/ecs/:account/secrets/:secret', { schema: UpdateSecretSchema }, async (request, reply) => {
    const version = await updateOrgSecret(scope(request), request.params.secret, request.body)
    // A tags-only update answers an empty body, as the original did.
    return version === undefined ? reply.send() : version
  })

  app.delete('/v1/ecs/:account/secrets/:secret', { schema: DeleteSecretSchema }, async (request) =>
    deleteOrgSecret(scope(request), request.params.secret, request.query.window),
  )
}

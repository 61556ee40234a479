import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { decode, encode } from '../codec/index.js'
import { createOrgSecret } from '../domain/secrets/create-org-secret.js'
import { deleteOrgSecret } from '../domain/secrets/delete-org-secret.js'
import { listOrgSecretArns, type TagQuery } from '../domain/secrets/list-org-secrets.js'
import { findOrgSecret, type SecretScope } from '../domain/secrets/org-secret.js'
import { updateOrgSecret } from '../domain/secrets/update-org-secret.js'
import { accountOf } from '../http/accounts-plugin.js'
import {
  CreateSecretSchema,
  CreatedSecretShape,
  DeleteSecretSchema,
  DeletedSecretShape,
  ListSecretsSchema,
  SecretCreateShape,
  SecretMetadataShape,
  SecretUpdateShape,
  SecretVersionShape,
  ShowSecretSchema,
  UpdateSecretSchema,
} from '../schemas/secrets.js'

/** `/v1/ecs/{account}/secrets`: the org's secrets in Secrets Manager (also at `/secret/{secret}`). */
export async function secretRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const scopeOf = (request: FastifyRequest): SecretScope => ({
    secretsManager: accountOf(request).clients.secretsManager,
    org: app.config.org,
  })

  app.get('/v1/ecs/:account/secrets', { schema: ListSecretsSchema }, async (request) =>
    listOrgSecretArns(scopeOf(request), request.query as TagQuery),
  )

  app.post('/v1/ecs/:account/secrets', { schema: CreateSecretSchema }, async (request) => {
    const { value } = decode(SecretCreateShape, request.body)
    return encode(CreatedSecretShape, await createOrgSecret(scopeOf(request), value))
  })

  app.get('/v1/ecs/:account/secrets/:secret', { schema: ShowSecretSchema }, async (request) => {
    const secret = await findOrgSecret(scopeOf(request), request.params.secret)
    // Every member, null when unset, as the original answered (its clients read `"DeletedDate": null`).
    return encode(SecretMetadataShape, secret, { fillNull: true })
  })

  app.put('/v1/ecs/:account/secrets/:secret', { schema: UpdateSecretSchema }, async (request, reply) => {
    const { value, unknownKeys } = decode(SecretUpdateShape, request.body)
    const version = await updateOrgSecret(scopeOf(request), request.params.secret, value, unknownKeys)
    // A tags-only update answers an empty body, as the original did.
    return version === undefined ? reply.send() : encode(SecretVersionShape, version)
  })

  app.delete('/v1/ecs/:account/secrets/:secret', { schema: DeleteSecretSchema }, async (request) =>
    encode(DeletedSecretShape, await deleteOrgSecret(scopeOf(request), request.params.secret, request.query.window)),
  )
}

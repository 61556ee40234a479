import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Account, AccountRegistry } from '../aws/account-clients.js'
import { NotFoundError } from '../core/errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountRegistry
  }
  interface FastifyRequest {
    account: Account | null
  }
}

/**
 * Resolves `{account}` once per request, after auth and before the body is read: an unknown account
 * is a 404 before any parsing or AWS call.
 */
export const accountsPlugin = fp(
  (app: FastifyInstance, options: { accounts: AccountRegistry }) => {
    app.decorate('accounts', options.accounts)
    app.decorateRequest('account', null)
    app.addHook('preParsing', async (request) => {
      const name = (request.params as { account?: unknown } | undefined)?.account
      if (typeof name !== 'string') return
      const account = options.accounts.get(name)
      if (!account) throw new NotFoundError(`account ${name} is not configured`)
      request.account = account
    })
    app.addHook('onClose', () => options.accounts.destroy())
  },
  { name: 'accounts', dependencies: ['auth'] },
)

/** The resolved account of a route with an `{account}` parameter. */
export function accountOf(request: FastifyRequest): Account {
  if (!request.account) throw new Error(`route ${request.routeOptions.url ?? '?'} has no {account} parameter`)
  return request.account
}

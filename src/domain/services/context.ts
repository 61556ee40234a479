import type { FastifyBaseLogger } from 'fastify'
import type { Account } from '../../aws/account-clients.js'
import { ecsApi, type Ecs } from '../../aws/ecs.js'
import { ecsServices, type EcsServices } from '../../aws/ecs-services.js'
import { logEvents, type LogEvents } from '../../aws/log-events.js'
import { serviceDiscovery, type ServiceDiscovery } from '../../aws/service-discovery.js'
import type { Operations } from '../../operations/index.js'

/** What the service use cases need: the adapters of one account, its config and the org we serve. */
export interface ServiceContext {
  readonly account: Account
  readonly org: string
  readonly services: EcsServices
  readonly ecs: Ecs
  readonly discovery: ServiceDiscovery
  readonly logs: LogEvents
  /** The request's logger, for what must not fail a request but must not go unnoticed. */
  readonly log?: FastifyBaseLogger | undefined
  /** Tracked operations, for what a failed create or update could not roll back. */
  readonly operations?: Operations | undefined
  readonly requestId?: string | undefined
}

export function serviceContext(
  account: Account,
  org: string,
  log?: FastifyBaseLogger,
  extra: { operations?: Operations | undefined; requestId?: string | undefined } = {},
): ServiceContext {
  return {
    account,
    org,
    log,
    services: ecsServices(account.clients.ecs),
    ecs: ecsApi(account.clients.ecs),
    discovery: serviceDiscovery(account.clients.serviceDiscovery),
    logs: logEvents(account.clients.logs),
    ...extra,
  }
}

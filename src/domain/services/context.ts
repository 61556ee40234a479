import { ecsApi, type Ecs } from '../../aws/ecs.js'
import { ecsServices, type EcsServices } from '../../aws/ecs-services.js'
import { logEvents, type LogEvents } from '../../aws/log-events.js'
import { serviceDiscovery, type ServiceDiscovery } from '../../aws/service-discovery.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the service use cases need: the request's context and the adapters of its account. */
export interface ServiceContext extends UseCaseContext {
  readonly services: EcsServices
  readonly ecs: Ecs
  readonly discovery: ServiceDiscovery
  readonly logs: LogEvents
}

export function serviceContext(base: UseCaseContext): ServiceContext {
  const { clients } = base.account
  return {
    ...base,
    services: ecsServices(clients.ecs),
    ecs: ecsApi(clients.ecs),
    discovery: serviceDiscovery(clients.serviceDiscovery),
    logs: logEvents(clients.logs),
  }
}

import { ecsApi, type Ecs } from '../../aws/ecs.js'
import { ecsServices, type EcsServices } from '../../aws/ecs-services.js'
import { elbv2Api, type Elbv2 } from '../../aws/elbv2.js'
import { taggingApi, type Tagging } from '../../aws/tagging.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the space reads need: the request's context and the read adapters of its account. */
export interface SpaceContext extends UseCaseContext {
  readonly ecs: Ecs
  readonly services: EcsServices
  readonly elbv2: Elbv2
  readonly tagging: Tagging
}

export function spaceContext(base: UseCaseContext): SpaceContext {
  const { clients } = base.account
  return {
    ...base,
    ecs: ecsApi(clients.ecs),
    services: ecsServices(clients.ecs),
    elbv2: elbv2Api(clients.elbv2),
    tagging: taggingApi(clients.tagging),
  }
}

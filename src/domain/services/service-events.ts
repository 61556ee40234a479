import { ServiceEvent$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import type { ServiceContext } from './context.js'
import { findOrgService } from './find-service.js'

/** The service's events as ECS keeps them (the latest 100, newest first): `{CreatedAt, Id, Message}`. */
export async function serviceEvents(ctx: ServiceContext, cluster: string, name: string): Promise<JsonValue[]> {
  const service = await findOrgService(ctx, cluster, name)
  return (service.events ?? []).map((e) => encode(ServiceEvent$, e))
}

/**
 * The SDK shapes the service use cases encode their answers from, for the OpenAPI document to
 * describe (src/schemas/response-bodies.ts). Thunks from src/aws/sdk: naming them loads nothing.
 */
export { Cluster$, Service$, ServiceEvent$, Tag$ as EcsTag$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
export { Service$ as RegistryService$ } from '../../aws/sdk/service-discovery.js'

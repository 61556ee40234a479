/**
 * Shape-aware JSON codec between client bodies and AWS SDK v3 shapes, driven by the clients' own
 * static schemas (architecture.md section 2, codec-notes.md).
 *
 *   const { value, unknownKeys } = decode<RegisterTaskDefinitionCommandInput>(RegisterTaskDefinitionRequest$, body)
 *   const json = encode(DescribeTasksResponse$, await ecs.send(new DescribeTasksCommand(input)))
 *   const Body = struct({ cluster: CreateClusterRequest$, credentials: mapOf(CreateSecretRequest$) })
 */
export { decode, MAX_UNKNOWN_REPORTED } from './decode.js'
export type { DecodeOptions, Decoded } from './decode.js'
export { encode } from './encode.js'
export type { EncodeOptions, JsonValue } from './encode.js'
export { listOf, mapOf, scalar, sdkShape, struct } from './wrapper.js'
export type { StructType } from './wrapper.js'
export type { SdkSchema, ShapeInput } from './sdk-schema.js'
export type { Shape, ShapeType } from './shape.js'
export { componentName, enumKey, JsonSchemaBuilder } from './json-schema.js'
export type { JsonSchema, JsonSchemaOptions } from './json-schema.js'

/**
 * The SDK shape of the events of a service's single-stream logs answer (codec/log-events.ts writes
 * them), for the OpenAPI document to describe (src/schemas/response-bodies.ts). A thunk: naming it loads nothing.
 */
export { OutputLogEvent$ } from '../../aws/sdk/cloudwatch-logs.js'

/**
 * The SDK shape a schedule answer's `Overrides` is encoded from (responses.ts), for the OpenAPI
 * document to describe (src/schemas/response-bodies.ts). A thunk: naming it loads nothing.
 */
export { TaskOverride$ } from '../../aws/sdk/ecs.js'

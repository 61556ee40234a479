/**
 * The SDK shapes the task use cases encode their answers from (task-output.ts), for the OpenAPI
 * document to describe (src/schemas/response-bodies.ts). Thunks from src/aws/sdk: naming them loads nothing.
 */
export { Failure$, Task$ } from '../../aws/sdk/ecs.js'

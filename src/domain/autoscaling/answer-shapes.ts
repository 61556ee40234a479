/**
 * The SDK shape the autoscaling answer's `ScalingActivities` are encoded from (show-autoscaling.ts),
 * for the OpenAPI document to describe (src/schemas/response-bodies.ts). A thunk: naming it loads nothing.
 */
export { ScalingActivity$ } from '../../aws/sdk/application-autoscaling.js'

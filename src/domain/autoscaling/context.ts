import { applicationAutoscaling, type ApplicationAutoscaling } from '../../aws/application-autoscaling.js'
import { serviceContext, type ServiceContext } from '../services/context.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the autoscaling use cases need: the service use cases' context and the autoscaling adapter. */
export interface AutoscalingContext extends ServiceContext {
  readonly autoscaling: ApplicationAutoscaling
  /** The highest `max` a setting may ask for (config `autoscaling.maxCapacity`). */
  readonly maxCapacity: number
}

export function autoscalingContext(base: UseCaseContext, maxCapacity: number): AutoscalingContext {
  return { ...serviceContext(base), autoscaling: applicationAutoscaling(base.account.clients.applicationAutoScaling), maxCapacity }
}

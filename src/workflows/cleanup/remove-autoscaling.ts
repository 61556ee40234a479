import type { Account } from '../../aws/account-clients.js'
import { applicationAutoscaling, ecsServiceResourceId } from '../../aws/application-autoscaling.js'

/**
 * Removes a service's autoscaling before the service goes (a recursive delete): its scaling
 * policies, scheduled actions and scalable target, so that nothing scales a service of the same name
 * made later. Each removal tolerates "already gone", so a resumed delete can run it again. Answers
 * whether there was anything to remove.
 */
export async function removeServiceAutoscaling(account: Account, cluster: string, service: string): Promise<boolean> {
  const autoscaling = applicationAutoscaling(account.clients.applicationAutoScaling)
  const resourceId = ecsServiceResourceId(cluster, service)
  const [target, policies, actions] = await Promise.all([
    autoscaling.describeTarget(resourceId),
    autoscaling.listPolicies(resourceId),
    autoscaling.listScheduledActions(resourceId),
  ])
  await Promise.all([
    ...policies.map((p) => autoscaling.deletePolicy(resourceId, p.PolicyName ?? '')),
    ...actions.map((a) => autoscaling.deleteScheduledAction(resourceId, a.ScheduledActionName ?? '')),
  ])
  if (target) await autoscaling.deregisterTarget(resourceId)
  return target !== undefined || policies.length > 0 || actions.length > 0
}

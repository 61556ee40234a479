import type { Account } from '../../aws/account-clients.js'
import { applicationAutoscaling, ecsServiceResourceId } from '../../aws/application-autoscaling.js'
import { ForbiddenError } from '../../core/errors.js'

/**
 * Removes a service's autoscaling before the service goes (a recursive delete): its scaling
 * policies, scheduled actions and scalable target, so that nothing scales a service of the same name
 * made later. Each removal tolerates "already gone", so a resumed delete can run it again. Answers the
 * line to report, or undefined when there was nothing to remove.
 *
 * Credentials that may not even read Application Auto Scaling cannot have set a setting through this
 * API: the delete goes on, and the line says the autoscaling was not checked.
 */
export async function removeServiceAutoscaling(account: Account, cluster: string, service: string): Promise<string | undefined> {
  const autoscaling = applicationAutoscaling(account.clients.applicationAutoScaling)
  const resourceId = ecsServiceResourceId(cluster, service)
  let found
  try {
    found = await Promise.all([
      autoscaling.describeTarget(resourceId),
      autoscaling.listPolicies(resourceId),
      autoscaling.listScheduledActions(resourceId),
    ])
  } catch (err) {
    if (err instanceof ForbiddenError) return `did not check the autoscaling of service ${service}: ${err.message}`
    throw err
  }
  const [target, policies, actions] = found
  if (!target && policies.length === 0 && actions.length === 0) return undefined
  await Promise.all([
    ...policies.map((p) => autoscaling.deletePolicy(resourceId, p.PolicyName ?? '')),
    ...actions.map((a) => autoscaling.deleteScheduledAction(resourceId, a.ScheduledActionName ?? '')),
  ])
  if (target) await autoscaling.deregisterTarget(resourceId)
  return `removed the autoscaling of service ${service}`
}

import { elbv2Api } from '../../aws/elbv2.js'
import { taggingApi } from '../../aws/tagging.js'
import { spaceResourceArns, TARGET_GROUP } from '../../aws/space-resources.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { fail, pass, type CheckDeps, type CheckSubject } from './check-subject.js'

/**
 * Each load balancer entry: its target group exists and is the space's, and its port is a container
 * port of the container the entry names (and the entry's containerPort, when it gives one).
 */
export async function loadBalancerChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult[]> {
  const entries = subject.service?.loadBalancers ?? []
  if (entries.length === 0) return []
  const arns = entries.flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : []))
  const [groups, ours] = await Promise.all([
    elbv2Api(deps.account.clients.elbv2).describeTargetGroups(arns),
    spaceResourceArns(taggingApi(deps.account.clients.tagging), deps.org, subject.clusterName, [TARGET_GROUP]),
  ])
  const spaceGroups = new Set(ours[TARGET_GROUP])
  const containers = subject.taskDefinition.containerDefinitions ?? []
  return entries.map((lb, i) => {
    const field = `service.loadBalancers[${i}].targetGroupArn`
    const arn = lb.targetGroupArn ?? ''
    if (!arn) return fail('load-balancer', '(none)', field, 'the entry names no target group')
    const group = groups.find((g) => g.TargetGroupArn === arn)
    // Another org's or space's target group is reported like a missing one.
    if (!group || !spaceGroups.has(arn)) return fail('load-balancer', arn, field, `target group ${arn} not found in cluster ${subject.clusterName} of this org`)
    const container = containers.find((c) => c.name === lb.containerName)
    if (!container) {
      return fail('load-balancer', arn, `service.loadBalancers[${i}].containerName`, `names no container of the task definition: "${lb.containerName ?? ''}"`)
    }
    const ports = (container.portMappings ?? []).flatMap((p) => (p.containerPort !== undefined ? [p.containerPort] : []))
    if (group.Port === undefined || !ports.includes(group.Port)) {
      return fail('load-balancer', arn, field, `target group port ${group.Port ?? '(none)'} is not a container port of ${container.name ?? ''} (${ports.join(', ') || 'none'})`)
    }
    if (lb.containerPort !== undefined && lb.containerPort !== group.Port) {
      return fail('load-balancer', arn, `service.loadBalancers[${i}].containerPort`, `is ${lb.containerPort}, the target group's port is ${group.Port}`)
    }
    return pass('load-balancer', arn, field, `port ${group.Port} of container ${container.name ?? ''}`)
  })
}

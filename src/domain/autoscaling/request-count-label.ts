import type { Service } from '@aws-sdk/client-ecs'
import { elbv2Api } from '../../aws/elbv2.js'
import { taggingApi } from '../../aws/tagging.js'
import { InputError } from '../../core/errors.js'
import { spaceResourceArns, TARGET_GROUP } from '../../aws/space-resources.js'
import type { UseCaseContext } from '../use-case-context.js'

const FIELD = 'targets.requestsPerTarget'

function fieldError(problem: string): InputError {
  return new InputError(`${FIELD} ${problem}`, { details: { path: FIELD } })
}

/**
 * The resource label of ALBRequestCountPerTarget for `service`:
 * `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`, from the first target group the service
 * is behind that is the space's (tags of the org and the space), and the application load balancer
 * in front of it. A service behind no such target group, or one no application load balancer
 * forwards to, cannot track requests: 400.
 */
export async function requestCountLabel(ctx: UseCaseContext, cluster: string, service: Service): Promise<string> {
  const behind = (service.loadBalancers ?? []).flatMap((lb) => lb.targetGroupArn ?? [])
  if (behind.length === 0) throw fieldError(`needs the service behind a target group of space ${cluster}; service ${service.serviceName ?? ''} is behind none`)
  const ours = new Set((await spaceResourceArns(taggingApi(ctx.account.clients.tagging), ctx.org, cluster, [TARGET_GROUP]))[TARGET_GROUP])
  const targetGroupArn = behind.find((arn) => ours.has(arn))
  if (targetGroupArn === undefined) {
    throw fieldError(`needs the service behind a target group of space ${cluster}; its target groups are not the space's`)
  }
  const [group] = await elbv2Api(ctx.account.clients.elbv2).describeTargetGroups([targetGroupArn])
  const loadBalancer = (group?.LoadBalancerArns ?? []).map((arn) => /:loadbalancer\/(app\/[^/]+\/[^/]+)$/.exec(arn)?.[1]).find((l) => l !== undefined)
  const targetGroup = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(targetGroupArn)?.[1]
  if (loadBalancer === undefined || targetGroup === undefined) {
    throw fieldError(`needs an application load balancer forwarding to target group ${targetGroupArn}; none does`)
  }
  return `${loadBalancer}/${targetGroup}`
}

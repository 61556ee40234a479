import { elbv2Api, type Elbv2 } from '../../aws/elbv2.js'
import { taggingApi, type Tagging } from '../../aws/tagging.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the load-balancer reads need: the two adapters of one account, and the org we serve. */
export interface LoadBalancerContext {
  tagging: Tagging
  elbv2: Elbv2
  org: string
}

export function loadBalancerContext(base: UseCaseContext): LoadBalancerContext {
  const { clients } = base.account
  return { tagging: taggingApi(clients.tagging), elbv2: elbv2Api(clients.elbv2), org: base.org }
}

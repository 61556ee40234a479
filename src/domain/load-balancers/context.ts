import type { Account } from '../../aws/account-clients.js'
import { elbv2Api, type Elbv2 } from '../../aws/elbv2.js'
import { taggingApi, type Tagging } from '../../aws/tagging.js'

/** What the load-balancer reads need: the two adapters of one account, and the org we serve. */
export interface LoadBalancerContext {
  tagging: Tagging
  elbv2: Elbv2
  org: string
}

export function loadBalancerContext(account: Account, org: string): LoadBalancerContext {
  return { tagging: taggingApi(account.clients.tagging), elbv2: elbv2Api(account.clients.elbv2), org }
}

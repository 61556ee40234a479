import type { CapacityProviderStrategyItem, LoadBalancer, Tag as EcsTag } from '@aws-sdk/client-ecs'
import { parseRegistryArn, type RegistryArn } from '../../aws/service-discovery.js'
import { ECS_NAME } from '../../core/ecs-name.js'
import { InputError } from '../../core/errors.js'
import { fromEcsTags, type Tag } from '../../core/tags.js'

/**
 * Field rules shared by service create and update. Each throws an `InputError` naming the field, so a
 * request is refused before anything is written to AWS.
 */

export function fieldError(path: string, problem: string): InputError {
  return new InputError(`${path} ${problem}`, { details: { path } })
}

export function checkEcsName(path: string, value: string | undefined): string {
  if (value === undefined || value === '') throw fieldError(path, 'is required')
  if (!ECS_NAME.test(value)) throw fieldError(path, `must be 1 to 255 letters, digits, hyphens or underscores, got "${value}"`)
  return value
}

/** The capacity providers a Fargate cluster of this platform has. */
export const CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const

export function checkDesiredCount(path: string, count: number | undefined): void {
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    throw fieldError(path, `must be an integer of at least 0, got ${count}`)
  }
}

export function checkCapacityProviderStrategy(
  path: string,
  strategy: readonly CapacityProviderStrategyItem[] | undefined,
): void {
  for (const [i, item] of (strategy ?? []).entries()) {
    const at = `${path}[${i}]`
    if (!CAPACITY_PROVIDERS.includes(item.capacityProvider as (typeof CAPACITY_PROVIDERS)[number])) {
      throw fieldError(`${at}.capacityProvider`, `must be one of ${CAPACITY_PROVIDERS.join(', ')}, got "${item.capacityProvider ?? ''}"`)
    }
    if (item.base !== undefined && (!Number.isInteger(item.base) || item.base < 0 || item.base > 100_000)) {
      throw fieldError(`${at}.base`, 'must be an integer from 0 to 100000')
    }
    if (item.weight !== undefined && (!Number.isInteger(item.weight) || item.weight < 0 || item.weight > 1000)) {
      throw fieldError(`${at}.weight`, 'must be an integer from 0 to 1000')
    }
  }
  const providers = (strategy ?? []).map((s) => s.capacityProvider)
  if (new Set(providers).size !== providers.length) throw fieldError(path, 'names a capacity provider twice')
}

/** Fargate only: a launch type other than FARGATE, or one together with a strategy, is refused. */
export function checkLaunchType(path: string, launchType: string | undefined, hasStrategy: boolean): void {
  if (launchType === undefined) return
  if (launchType !== 'FARGATE') throw fieldError(path, `must be FARGATE, got "${launchType}"`)
  if (hasStrategy) throw fieldError(path, 'cannot be combined with a capacityProviderStrategy')
}

/**
 * Fargate tasks use the awsvpc network mode, which ECS pairs only with Application and Network Load
 * Balancers (through a target group): an entry naming a classic load balancer is refused outright,
 * so no other org's or space's classic load balancer can be named either.
 */
export function checkLoadBalancers(path: string, loadBalancers: readonly LoadBalancer[] | undefined): void {
  for (const [i, lb] of (loadBalancers ?? []).entries()) {
    if (lb.loadBalancerName !== undefined) {
      throw fieldError(
        `${path}[${i}].loadBalancerName`,
        'names a classic load balancer, which Fargate services cannot use: give the targetGroupArn of an Application or Network Load Balancer instead',
      )
    }
  }
}

/** Every registry ARN must be a Cloud Map service ARN; returns them parsed. */
export function checkRegistryArns(
  path: string,
  registries: readonly { registryArn?: string | undefined }[] | undefined,
): (RegistryArn & { arn: string })[] {
  return (registries ?? []).map((r, i) => {
    const at = `${path}[${i}].registryArn`
    if (!r.registryArn) throw fieldError(at, 'is required')
    const parsed = parseRegistryArn(r.registryArn)
    if (!parsed) throw fieldError(at, `is not a Cloud Map service ARN (arn:aws:servicediscovery:<region>:<account>:service/srv-...): "${r.registryArn}"`)
    return { ...parsed, arn: r.registryArn }
  })
}

/** ECS tags (`{key, value}`) as the tag rules take them; a tag without a key is refused. */
export function tagsFromEcs(path: string, tags: readonly EcsTag[] | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined
  tags.forEach((t, i) => {
    if (!t.key) throw fieldError(`${path}[${i}].key`, 'is required')
  })
  return fromEcsTags(tags)
}

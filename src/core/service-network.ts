import type { AwsVpcConfiguration, NetworkConfiguration } from '@aws-sdk/client-ecs'
import type { AccountConfig } from '../config/schema.js'
import { InputError } from './errors.js'

/** The account's network defaults and policy. */
export interface AccountNetwork {
  readonly subnets: readonly string[]
  readonly securityGroups: readonly string[]
  /** Whether tasks may get a public IP at all (config `allowPublicIp`). */
  readonly allowPublicIp: boolean
}

/** The account's network defaults and public-IP policy, from its config. */
export function accountNetwork(config: Pick<AccountConfig, 'defaultSubnets' | 'defaultSgs' | 'allowPublicIp'>): AccountNetwork {
  return {
    subnets: config.defaultSubnets ?? [],
    securityGroups: config.defaultSgs ?? [],
    allowPublicIp: config.allowPublicIp === true,
  }
}

/**
 * Subnets and security groups a caller names must be among the account's configured ones
 * (`defaultSubnets`, `defaultSgs`): any other could sit in another org's VPC or open another space's
 * ports, and the config is the one list of what this account's tasks may use. A subset is fine.
 * `path` is the field of the awsvpcConfiguration; the error names the entry.
 */
export function checkGivenNetwork(path: string, given: Partial<AwsVpcConfiguration> | undefined, network: AccountNetwork): void {
  const lists = [
    ['subnets', given?.subnets, network.subnets, 'defaultSubnets'],
    ['securityGroups', given?.securityGroups, network.securityGroups, 'defaultSgs'],
  ] as const
  for (const [field, named, allowed, key] of lists) {
    for (const [i, id] of (named ?? []).entries()) {
      if (allowed.includes(id)) continue
      const at = `${path}.${field}[${i}]`
      throw new InputError(`${at} "${id}" is not one of the account's ${key}: ${allowed.length > 0 ? allowed.join(', ') : 'none configured'}`, {
        details: { path: at },
      })
    }
  }
}

const assignPublicIpPath = 'service.networkConfiguration.awsvpcConfiguration.assignPublicIp'

/**
 * The network configuration a service gets: the client's, with the account's subnets and security
 * groups where it names none, and no public IP unless the client asks and the account allows it.
 */
export function serviceNetwork(requested: NetworkConfiguration | undefined, network: AccountNetwork): NetworkConfiguration {
  const vpc = requested?.awsvpcConfiguration
  if (vpc?.assignPublicIp === 'ENABLED' && !network.allowPublicIp) {
    throw new InputError(`${assignPublicIpPath}: public IPs are not allowed in this account`, {
      details: { path: assignPublicIpPath },
    })
  }
  return {
    awsvpcConfiguration: {
      subnets: vpc?.subnets?.length ? vpc.subnets : [...network.subnets],
      securityGroups: vpc?.securityGroups?.length ? vpc.securityGroups : [...network.securityGroups],
      assignPublicIp: vpc?.assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED',
    },
  }
}

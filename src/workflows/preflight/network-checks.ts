import { ec2Api } from '../../aws/ec2.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { fail, pass, type CheckDeps, type CheckSubject } from './check-subject.js'

const VPC_PATH = 'service.networkConfiguration.awsvpcConfiguration'

/**
 * The service's subnets and security groups exist and lie in the account's VPC (the VPC of its
 * configured default subnets), and a public IP is asked for only where the account allows one.
 */
export async function networkChecks(subject: CheckSubject, deps: CheckDeps): Promise<CheckResult[]> {
  if (!subject.service) return []
  const vpc = subject.service.networkConfiguration?.awsvpcConfiguration
  const subnets = vpc?.subnets ?? []
  const groups = vpc?.securityGroups ?? []
  const defaults = deps.account.config.defaultSubnets ?? []
  const ec2 = ec2Api(deps.account.clients.ec2)
  const [foundSubnets, foundGroups, defaultSubnets] = await Promise.all([
    ec2.describeSubnets(subnets),
    ec2.describeSecurityGroups(groups),
    ec2.describeSubnets(defaults),
  ])
  const accountVpcs = new Set(defaultSubnets.flatMap((s) => (s.VpcId ? [s.VpcId] : [])))
  const inVpc = (vpcId: string | undefined) => accountVpcs.size === 0 || (vpcId !== undefined && accountVpcs.has(vpcId))
  const vpcNote = accountVpcs.size === 0 ? ' (the account configures no default subnets: its VPC is unknown)' : ''

  const results: CheckResult[] = []
  subnets.forEach((id, i) => {
    const field = `${VPC_PATH}.subnets[${i}]`
    const found = foundSubnets.find((s) => s.SubnetId === id)
    if (!found) results.push(fail('network', id, field, `subnet ${id} does not exist`))
    else if (!inVpc(found.VpcId)) results.push(fail('network', id, field, `subnet ${id} is in ${found.VpcId ?? '?'}, not the account's VPC ${[...accountVpcs].join(', ')}`))
    else results.push(pass('network', id, field, `in ${found.VpcId ?? '?'}${vpcNote}`))
  })
  groups.forEach((id, i) => {
    const field = `${VPC_PATH}.securityGroups[${i}]`
    const found = foundGroups.find((g) => g.GroupId === id)
    if (!found) results.push(fail('network', id, field, `security group ${id} does not exist`))
    else if (!inVpc(found.VpcId)) results.push(fail('network', id, field, `security group ${id} is in ${found.VpcId ?? '?'}, not the account's VPC ${[...accountVpcs].join(', ')}`))
    else results.push(pass('network', id, field, `in ${found.VpcId ?? '?'}${vpcNote}`))
  })
  if (subnets.length === 0) results.push(fail('network', '(none)', `${VPC_PATH}.subnets`, 'the service has no subnet to run in'))
  const publicIp = vpc?.assignPublicIp ?? 'DISABLED'
  const field = `${VPC_PATH}.assignPublicIp`
  if (publicIp === 'ENABLED' && deps.account.config.allowPublicIp !== true) {
    results.push(fail('network', publicIp, field, 'public IPs are not allowed in this account'))
  } else if (publicIp === 'ENABLED') results.push(pass('network', publicIp, field, 'the account allows public IPs'))
  else results.push(pass('network', publicIp, field, 'no public IP'))
  return results
}

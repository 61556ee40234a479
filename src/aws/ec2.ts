import type { EC2Client, SecurityGroup, Subnet } from '@aws-sdk/client-ec2'
import { paginateDescribeSecurityGroups, paginateDescribeSubnets } from './sdk/ec2.js'

/**
 * The EC2 reads the preflight checks make: which of the subnets and security groups a service names
 * exist, and in which VPC. Only reads; the network itself is never changed by this service.
 */
export interface Ec2 {
  /** The subnets of `ids` that exist (an unknown id is left out, not an error). */
  describeSubnets(ids: readonly string[]): Promise<Subnet[]>
  /** The security groups of `ids` that exist (an unknown id is left out, not an error). */
  describeSecurityGroups(ids: readonly string[]): Promise<SecurityGroup[]>
}

/** The EC2 adapter over one account's client (errors arrive already translated). */
export function ec2Api(client: EC2Client): Ec2 {
  // Filters rather than ids: EC2 refuses a whole request naming one unknown id, a filter just matches less.
  const paging = { client, stopOnSameToken: true }
  return {
    async describeSubnets(ids) {
      if (ids.length === 0) return []
      const found: Subnet[] = []
      for await (const page of paginateDescribeSubnets(paging, { Filters: [{ Name: 'subnet-id', Values: [...ids] }] })) {
        found.push(...(page.Subnets ?? []))
      }
      return found
    },
    async describeSecurityGroups(ids) {
      if (ids.length === 0) return []
      const found: SecurityGroup[] = []
      for await (const page of paginateDescribeSecurityGroups(paging, { Filters: [{ Name: 'group-id', Values: [...ids] }] })) {
        found.push(...(page.SecurityGroups ?? []))
      }
      return found
    },
  }
}

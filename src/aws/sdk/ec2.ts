import type * as Sdk from '@aws-sdk/client-ec2'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-ec2`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const ec2Package = lazyPackage<typeof Sdk>('@aws-sdk/client-ec2')

export const paginateDescribeSecurityGroups = lazyExport(ec2Package, 'paginateDescribeSecurityGroups')
export const paginateDescribeSubnets = lazyExport(ec2Package, 'paginateDescribeSubnets')

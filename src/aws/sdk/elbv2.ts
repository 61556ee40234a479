import type * as Sdk from '@aws-sdk/client-elastic-load-balancing-v2'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-elastic-load-balancing-v2`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const elbv2Package = lazyPackage<typeof Sdk>('@aws-sdk/client-elastic-load-balancing-v2')

export const DescribeTargetHealthCommand = lazyExport(elbv2Package, 'DescribeTargetHealthCommand')
export const paginateDescribeListeners = lazyExport(elbv2Package, 'paginateDescribeListeners')
export const paginateDescribeLoadBalancers = lazyExport(elbv2Package, 'paginateDescribeLoadBalancers')
export const paginateDescribeRules = lazyExport(elbv2Package, 'paginateDescribeRules')
export const paginateDescribeTargetGroups = lazyExport(elbv2Package, 'paginateDescribeTargetGroups')

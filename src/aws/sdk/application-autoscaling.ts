import type * as Sdk from '@aws-sdk/client-application-auto-scaling'
import { lazyExport, lazyPackage, lazySchema } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-application-auto-scaling`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const applicationAutoScalingPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-application-auto-scaling')

export const DeleteScalingPolicyCommand = lazyExport(applicationAutoScalingPackage, 'DeleteScalingPolicyCommand')
export const DeleteScheduledActionCommand = lazyExport(applicationAutoScalingPackage, 'DeleteScheduledActionCommand')
export const DeregisterScalableTargetCommand = lazyExport(applicationAutoScalingPackage, 'DeregisterScalableTargetCommand')
export const DescribeScalableTargetsCommand = lazyExport(applicationAutoScalingPackage, 'DescribeScalableTargetsCommand')
export const DescribeScalingActivitiesCommand = lazyExport(applicationAutoScalingPackage, 'DescribeScalingActivitiesCommand')
export const paginateDescribeScalableTargets = lazyExport(applicationAutoScalingPackage, 'paginateDescribeScalableTargets')
export const paginateDescribeScalingPolicies = lazyExport(applicationAutoScalingPackage, 'paginateDescribeScalingPolicies')
export const paginateDescribeScheduledActions = lazyExport(applicationAutoScalingPackage, 'paginateDescribeScheduledActions')
export const PutScalingPolicyCommand = lazyExport(applicationAutoScalingPackage, 'PutScalingPolicyCommand')
export const PutScheduledActionCommand = lazyExport(applicationAutoScalingPackage, 'PutScheduledActionCommand')
export const RegisterScalableTargetCommand = lazyExport(applicationAutoScalingPackage, 'RegisterScalableTargetCommand')

/** Static schemas the codec reads, as thunks: declaring a shape from one does not load the package. */
export const ScalingActivity$ = lazySchema(applicationAutoScalingPackage, 'ScalingActivity$')

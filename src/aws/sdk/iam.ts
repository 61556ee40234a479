import type * as Sdk from '@aws-sdk/client-iam'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-iam`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const iamPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-iam')

export const CreateRoleCommand = lazyExport(iamPackage, 'CreateRoleCommand')
export const DeleteRoleCommand = lazyExport(iamPackage, 'DeleteRoleCommand')
export const DeleteRolePolicyCommand = lazyExport(iamPackage, 'DeleteRolePolicyCommand')
export const DetachRolePolicyCommand = lazyExport(iamPackage, 'DetachRolePolicyCommand')
export const GetRoleCommand = lazyExport(iamPackage, 'GetRoleCommand')
export const GetRolePolicyCommand = lazyExport(iamPackage, 'GetRolePolicyCommand')
export const paginateListAttachedRolePolicies = lazyExport(iamPackage, 'paginateListAttachedRolePolicies')
export const paginateListRolePolicies = lazyExport(iamPackage, 'paginateListRolePolicies')
export const PutRolePolicyCommand = lazyExport(iamPackage, 'PutRolePolicyCommand')
export const TagRoleCommand = lazyExport(iamPackage, 'TagRoleCommand')
export const GetPolicyCommand = lazyExport(iamPackage, 'GetPolicyCommand')
export const GetPolicyVersionCommand = lazyExport(iamPackage, 'GetPolicyVersionCommand')

import type * as Sdk from '@aws-sdk/client-secrets-manager'
import { lazyExport, lazyPackage, lazySchema } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-secrets-manager`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const secretsManagerPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-secrets-manager')

export const CreateSecretCommand = lazyExport(secretsManagerPackage, 'CreateSecretCommand')
export const DeleteSecretCommand = lazyExport(secretsManagerPackage, 'DeleteSecretCommand')
export const DescribeSecretCommand = lazyExport(secretsManagerPackage, 'DescribeSecretCommand')
export const PutSecretValueCommand = lazyExport(secretsManagerPackage, 'PutSecretValueCommand')
export const RemoveRegionsFromReplicationCommand = lazyExport(secretsManagerPackage, 'RemoveRegionsFromReplicationCommand')
export const TagResourceCommand = lazyExport(secretsManagerPackage, 'TagResourceCommand')
export const UntagResourceCommand = lazyExport(secretsManagerPackage, 'UntagResourceCommand')
export const paginateListSecrets = lazyExport(secretsManagerPackage, 'paginateListSecrets')
export const GetSecretValueCommand = lazyExport(secretsManagerPackage, 'GetSecretValueCommand')

/** Static schemas the codec reads, as thunks: declaring a shape from one does not load the package. */
export const CreateSecretRequest$ = lazySchema(secretsManagerPackage, 'CreateSecretRequest$')
export const CreateSecretResponse$ = lazySchema(secretsManagerPackage, 'CreateSecretResponse$')
export const DeleteSecretResponse$ = lazySchema(secretsManagerPackage, 'DeleteSecretResponse$')
export const DescribeSecretResponse$ = lazySchema(secretsManagerPackage, 'DescribeSecretResponse$')
export const PutSecretValueResponse$ = lazySchema(secretsManagerPackage, 'PutSecretValueResponse$')
export const Tag$ = lazySchema(secretsManagerPackage, 'Tag$')

import type * as Sdk from '@aws-sdk/client-ssm'
import { lazyExport, lazyPackage, lazySchema } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-ssm`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const ssmPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-ssm')

export const AddTagsToResourceCommand = lazyExport(ssmPackage, 'AddTagsToResourceCommand')
export const DeleteParameterCommand = lazyExport(ssmPackage, 'DeleteParameterCommand')
export const DeleteParametersCommand = lazyExport(ssmPackage, 'DeleteParametersCommand')
export const GetParameterCommand = lazyExport(ssmPackage, 'GetParameterCommand')
export const ListTagsForResourceCommand = lazyExport(ssmPackage, 'ListTagsForResourceCommand')
export const PutParameterCommand = lazyExport(ssmPackage, 'PutParameterCommand')
export const RemoveTagsFromResourceCommand = lazyExport(ssmPackage, 'RemoveTagsFromResourceCommand')
export const paginateDescribeParameters = lazyExport(ssmPackage, 'paginateDescribeParameters')

/** Static schemas the codec reads, as thunks: declaring a shape from one does not load the package. */
export const PutParameterRequest$ = lazySchema(ssmPackage, 'PutParameterRequest$')

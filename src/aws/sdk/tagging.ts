import type * as Sdk from '@aws-sdk/client-resource-groups-tagging-api'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-resource-groups-tagging-api`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const taggingPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-resource-groups-tagging-api')

export const paginateGetResources = lazyExport(taggingPackage, 'paginateGetResources')
export const TagResourcesCommand = lazyExport(taggingPackage, 'TagResourcesCommand')

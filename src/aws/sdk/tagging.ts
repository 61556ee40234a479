import type * as Sdk from '@aws-sdk/client-resource-groups-tagging-api'
import { lazyExport, lazyPackage } from './lazy-package.js'

/** `@aws-sdk/client-resource-groups-tagging-api`, loaded on first use (lazy-package.ts says why). */
export const taggingPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-resource-groups-tagging-api')

export const paginateGetResources = lazyExport(taggingPackage, 'paginateGetResources')

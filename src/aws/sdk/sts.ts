import type * as Sdk from '@aws-sdk/client-sts'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-sts`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const stsPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-sts')

export const GetCallerIdentityCommand = lazyExport(stsPackage, 'GetCallerIdentityCommand')

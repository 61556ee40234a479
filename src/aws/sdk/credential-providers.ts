import type * as Sdk from '@aws-sdk/credential-providers'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/credential-providers`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const credentialProvidersPackage = lazyPackage<typeof Sdk>('@aws-sdk/credential-providers')

export const fromNodeProviderChain = lazyExport(credentialProvidersPackage, 'fromNodeProviderChain')
export const fromTemporaryCredentials = lazyExport(credentialProvidersPackage, 'fromTemporaryCredentials')

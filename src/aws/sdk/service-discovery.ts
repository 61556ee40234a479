import type * as Sdk from '@aws-sdk/client-servicediscovery'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-servicediscovery`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const serviceDiscoveryPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-servicediscovery')

export const CreateServiceCommand = lazyExport(serviceDiscoveryPackage, 'CreateServiceCommand')
export const DeleteServiceCommand = lazyExport(serviceDiscoveryPackage, 'DeleteServiceCommand')
export const GetNamespaceCommand = lazyExport(serviceDiscoveryPackage, 'GetNamespaceCommand')
export const GetServiceCommand = lazyExport(serviceDiscoveryPackage, 'GetServiceCommand')
export const ListTagsForResourceCommand = lazyExport(serviceDiscoveryPackage, 'ListTagsForResourceCommand')

import type * as Sdk from '@aws-sdk/client-servicediscovery'
import { lazyExport, lazyPackage, lazySchema } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-servicediscovery`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const serviceDiscoveryPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-servicediscovery')

export const CreateServiceCommand = lazyExport(serviceDiscoveryPackage, 'CreateServiceCommand')
export const DeleteServiceCommand = lazyExport(serviceDiscoveryPackage, 'DeleteServiceCommand')
export const GetNamespaceCommand = lazyExport(serviceDiscoveryPackage, 'GetNamespaceCommand')
export const GetServiceCommand = lazyExport(serviceDiscoveryPackage, 'GetServiceCommand')
export const ListTagsForResourceCommand = lazyExport(serviceDiscoveryPackage, 'ListTagsForResourceCommand')

/** Static schemas the codec reads, as thunks: declaring a shape from one does not load the package. */
export const CreateServiceRequest$ = lazySchema(serviceDiscoveryPackage, 'CreateServiceRequest$')
export const Service$ = lazySchema(serviceDiscoveryPackage, 'Service$')

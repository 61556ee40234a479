import type * as Sdk from '@aws-sdk/client-ecs'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-ecs`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const ecsPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-ecs')

export const CreateClusterCommand = lazyExport(ecsPackage, 'CreateClusterCommand')
export const DeleteClusterCommand = lazyExport(ecsPackage, 'DeleteClusterCommand')
export const DeleteTaskDefinitionsCommand = lazyExport(ecsPackage, 'DeleteTaskDefinitionsCommand')
export const DeregisterTaskDefinitionCommand = lazyExport(ecsPackage, 'DeregisterTaskDefinitionCommand')
export const DescribeClustersCommand = lazyExport(ecsPackage, 'DescribeClustersCommand')
export const DescribeTaskDefinitionCommand = lazyExport(ecsPackage, 'DescribeTaskDefinitionCommand')
export const DescribeTasksCommand = lazyExport(ecsPackage, 'DescribeTasksCommand')
export const paginateListTaskDefinitions = lazyExport(ecsPackage, 'paginateListTaskDefinitions')
export const paginateListTasks = lazyExport(ecsPackage, 'paginateListTasks')
export const RegisterTaskDefinitionCommand = lazyExport(ecsPackage, 'RegisterTaskDefinitionCommand')
export const RunTaskCommand = lazyExport(ecsPackage, 'RunTaskCommand')
export const StopTaskCommand = lazyExport(ecsPackage, 'StopTaskCommand')
export const TagResourceCommand = lazyExport(ecsPackage, 'TagResourceCommand')
export const CreateServiceCommand = lazyExport(ecsPackage, 'CreateServiceCommand')
export const DeleteServiceCommand = lazyExport(ecsPackage, 'DeleteServiceCommand')
export const DescribeServicesCommand = lazyExport(ecsPackage, 'DescribeServicesCommand')
export const paginateListServices = lazyExport(ecsPackage, 'paginateListServices')
export const UpdateServiceCommand = lazyExport(ecsPackage, 'UpdateServiceCommand')
export const ListServiceDeploymentsCommand = lazyExport(ecsPackage, 'ListServiceDeploymentsCommand')
export const StopServiceDeploymentCommand = lazyExport(ecsPackage, 'StopServiceDeploymentCommand')

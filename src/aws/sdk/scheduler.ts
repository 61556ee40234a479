import type * as Sdk from '@aws-sdk/client-scheduler'
import { lazyExport, lazyPackage } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-scheduler`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const schedulerPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-scheduler')

export const CreateScheduleCommand = lazyExport(schedulerPackage, 'CreateScheduleCommand')
export const CreateScheduleGroupCommand = lazyExport(schedulerPackage, 'CreateScheduleGroupCommand')
export const DeleteScheduleCommand = lazyExport(schedulerPackage, 'DeleteScheduleCommand')
export const DeleteScheduleGroupCommand = lazyExport(schedulerPackage, 'DeleteScheduleGroupCommand')
export const GetScheduleCommand = lazyExport(schedulerPackage, 'GetScheduleCommand')
export const GetScheduleGroupCommand = lazyExport(schedulerPackage, 'GetScheduleGroupCommand')
export const ListTagsForResourceCommand = lazyExport(schedulerPackage, 'ListTagsForResourceCommand')
export const paginateListSchedules = lazyExport(schedulerPackage, 'paginateListSchedules')
export const UpdateScheduleCommand = lazyExport(schedulerPackage, 'UpdateScheduleCommand')

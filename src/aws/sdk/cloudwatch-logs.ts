import type * as Sdk from '@aws-sdk/client-cloudwatch-logs'
import { lazyExport, lazyPackage, lazySchema } from '../../core/lazy/lazy-package.js'

/** `@aws-sdk/client-cloudwatch-logs`, loaded on first use (src/core/lazy/lazy-package.ts says why). */
export const cloudWatchLogsPackage = lazyPackage<typeof Sdk>('@aws-sdk/client-cloudwatch-logs')

export const GetLogEventsCommand = lazyExport(cloudWatchLogsPackage, 'GetLogEventsCommand')
export const DescribeLogStreamsCommand = lazyExport(cloudWatchLogsPackage, 'DescribeLogStreamsCommand')
export const FilterLogEventsCommand = lazyExport(cloudWatchLogsPackage, 'FilterLogEventsCommand')
export const CreateLogGroupCommand = lazyExport(cloudWatchLogsPackage, 'CreateLogGroupCommand')
export const DeleteLogGroupCommand = lazyExport(cloudWatchLogsPackage, 'DeleteLogGroupCommand')
export const DeleteRetentionPolicyCommand = lazyExport(cloudWatchLogsPackage, 'DeleteRetentionPolicyCommand')
export const paginateDescribeLogGroups = lazyExport(cloudWatchLogsPackage, 'paginateDescribeLogGroups')
export const PutRetentionPolicyCommand = lazyExport(cloudWatchLogsPackage, 'PutRetentionPolicyCommand')
export const TagResourceCommand = lazyExport(cloudWatchLogsPackage, 'TagResourceCommand')

// SDK schema of the log events the logs answers carry, for the OpenAPI document.
export const OutputLogEvent$ = lazySchema(cloudWatchLogsPackage, 'OutputLogEvent$')
